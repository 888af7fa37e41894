package chatbridge.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class PartnerRepliesTest {
    static JsonNode json(String text) throws Exception {
        return PartnerReplies.JSON.readTree(text);
    }

    @Test
    void welcomesAreInTheVisitorsLanguageWithEnglishAsTheFallback() {
        assertEquals("欢迎回来，陈美！", PartnerReplies.welcome("陈美", true));
        assertEquals("欢迎回来，Mei Chen！", PartnerReplies.welcome("Mei Chen", true));
        assertEquals("Welcome back, Ana!", PartnerReplies.welcome(" Ana Souza ", false));
        assertEquals("Welcome back!", PartnerReplies.welcome("", false));
        assertEquals("欢迎回来！", PartnerReplies.welcome("", true));
    }

    @Test
    void aVisitorOnlineEventGetsATextReplyToThatEvent() throws Exception {
        PartnerReplies.Reply reply = PartnerReplies.replyTo("evt-1", json("""
                {"type":"visitor.online","timestamp":"2026-11-24T10:15:30Z","data":{"id":"evt-1",
                 "visitor":{"id":"v-1","name":"Lukas Becker","language":"de-DE"}}}"""));
        assertEquals(json("""
                {"visitorId":"v-1","inReplyTo":"evt-1","message":{"type":"text","text":"Welcome back, Lukas!"}}"""),
                reply.request());
    }

    @Test
    void anOrderGetsACardWithNumberTotalAndLinkOrTextWithoutALink() throws Exception {
        PartnerReplies.Reply card = PartnerReplies.replyTo("evt-2", json("""
                {"type":"order.completed","data":{"id":"evt-2","visitor":{"id":"v-2","language":"zh-CN"},
                 "order":{"id":"o-1","number":"10043","total":{"amount":"899.00","currency":"CNY"},
                          "url":"https://shop.example.com/orders/10043"}}}"""));
        assertEquals(json("""
                {"visitorId":"v-2","inReplyTo":"evt-2","message":{"type":"card","title":"订单 10043 已确认",
                 "text":"合计：CNY 899.00。感谢您的购买！","url":"https://shop.example.com/orders/10043"}}"""), card.request());

        PartnerReplies.Reply text = PartnerReplies.replyTo("evt-3", json("""
                {"type":"order.completed","data":{"id":"evt-3","visitor":{"id":"v-3"},
                 "order":{"id":"o-2","number":"10044","total":{"amount":"5.00","currency":"USD"}}}}"""));
        assertEquals("Order 10044 confirmed · Total: USD 5.00. Thank you for your order!",
                text.request().at("/message/text").asText());
    }

    @Test
    void otherEventTypesGetNoReply() throws Exception {
        assertNull(PartnerReplies.replyTo("evt-4", json("{\"type\":\"partner.message\",\"data\":{}}")));
    }
}
