package dev.herald.api.canonical;

import dev.herald.api.http.Json;
import dev.herald.core.account.AccountId;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;
import dev.herald.delivery.publish.PublishReceipt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The publish answer written by hand is the same bytes its tree wrote (as {@link Json#write} sends them). */
class PublishReceiptJsonTest {
    @ParameterizedTest
    @ValueSource(strings = {"order.created", "quote\"back\\slash\u0001\n", "unicode.é😀\u2028", "latin.é\u2028\u00ff"})
    void theReceiptIsWhatItsTreeWrites(String type) throws IOException {
        var event = new Event(EventId.generate(), new AccountId(7), type, Instant.parse("2026-12-06T14:50:01.75Z"),
                "{}", Optional.empty(), Optional.empty());
        var receipt = new PublishReceipt(event, 12, true);

        assertThat(EventRoutes.receiptJson(receipt).getBytes(StandardCharsets.UTF_8))
                .isEqualTo(Json.mapper().writeValueAsBytes(EventRoutes.receipt(receipt)));
    }
}
