package chatbridge.events;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** How chat-bridge reads JSON from outside, whether an event from the chat system or a partner's request. */
public final class StrictJson {
    /** Refuses duplicate keys and anything after the document, which lenient parsers silently accept. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Ids become webhook-id, JMSXGroupID and duplicate-id values: printable ASCII, no spaces, bounded. */
    public static final Pattern ID = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private StrictJson() {
    }

    /** UTF-8 that refuses malformed bytes instead of replacing them. */
    public static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** "malformed JSON at line 1, column 7: ..." without Jackson's note on where its input came from. */
    public static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int note = message.indexOf(" (start marker at");
        if (note < 0) {
            note = message.indexOf("\n at [Source");
        }
        return "malformed JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                + ": " + (note < 0 ? message : message.substring(0, note));
    }
}
