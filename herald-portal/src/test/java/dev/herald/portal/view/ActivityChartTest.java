package dev.herald.portal.view;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.destination.Destination;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointStats;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.service.delivery.DeliveryHistoryService.Activity;
import dev.herald.store.DeliveryHistory.HourCount;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ActivityChartTest {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void barsAreScaledToTheBusiestHourWithFailuresAtTheBottom() {
        var hours = new ArrayList<HourCount>();
        for (int h = 0; h < 25; h++) {
            hours.add(new HourCount(h, 0, 0));
        }
        hours.set(3, new HourCount(3, 3, 1));
        hours.set(24, new HourCount(24, 1, 1));

        var chart = ActivityChart.of(new Activity(endpoint(), FROM, hours));

        assertThat(chart.peak()).isEqualTo(4);
        var busiest = chart.bars().get(3);
        assertThat(busiest.failureHeight()).isEqualTo(ActivityChart.HEIGHT / 4);
        assertThat(busiest.successHeight()).isEqualTo(ActivityChart.HEIGHT * 3 / 4);
        assertThat(busiest.failureY() + busiest.failureHeight()).isEqualTo(ActivityChart.HEIGHT);
        assertThat(busiest.successY()).isZero();
        assertThat(busiest.label()).isEqualTo("03:00 UTC: 3 succeeded, 1 failed");
        assertThat(chart.bars().get(0).successHeight() + chart.bars().get(0).failureHeight()).isZero();
        assertThat(chart.bars().getLast().x() + chart.bars().getLast().width()).isLessThanOrEqualTo(ActivityChart.WIDTH);
        assertThat(chart.summary()).isEqualTo("Attempts in the last 24 hours: 4 succeeded, 2 failed.");
    }

    @Test
    void anIdleEndpointDrawsNoBars() {
        var hours = new ArrayList<HourCount>();
        for (int h = 0; h < 25; h++) {
            hours.add(new HourCount(h, 0, 0));
        }

        var chart = ActivityChart.of(new Activity(endpoint(), FROM, hours));

        assertThat(chart.bars()).allSatisfy(bar -> assertThat(bar.successHeight() + bar.failureHeight()).isZero());
        assertThat(Format.successRate(new Activity(endpoint(), FROM, hours))).isEqualTo("—");
    }

    private static Endpoint endpoint() {
        return new Endpoint(new EndpointId(1), UUID.randomUUID(), WebhookId.generate(), new AccountId(1),
                "https://example.com/hook", List.of("*"), Optional.empty(), EndpointStatus.ACTIVE, new ApiKeyId(1),
                Optional.empty(), OptionalInt.empty(), Map.of(), FROM, FROM, EndpointStats.EMPTY, new Destination.Webhook());
    }
}
