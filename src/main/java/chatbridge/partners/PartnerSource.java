package chatbridge.partners;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the partners come from: the partners file, the single partner of the PARTNER_* settings and the chat
 * system's own API (CHAT_API_URL) as the destination of partner.messages. Read at startup and again at each reload.
 */
public class PartnerSource {
    private final PartnerLoader loader;
    private final Path file;
    private final PartnerLoader.SinglePartner single;
    private final PartnerLoader.ChatApi chatApi;

    public PartnerSource(PartnerLoader loader, Path file, PartnerLoader.SinglePartner single, PartnerLoader.ChatApi chatApi) {
        this.loader = loader;
        this.file = file;
        this.single = single;
        this.chatApi = chatApi;
    }

    /** @throws IllegalArgumentException naming the file, partner and field of the first mistake */
    public List<Partner> load() {
        List<Partner> partners = new ArrayList<>(loader.load(file, single));
        if (!chatApi.url().isBlank()) {
            partners.add(loader.chatApi(chatApi.url(), chatApi.secret(), chatApi.token(), chatApi.queue()));
        }
        return partners;
    }

    public Path file() {
        return file;
    }
}
