package dev.herald.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeraldVersionTest {
    @Test
    void theVersionIsTheOneTheBuildWrote() {
        assertThat(HeraldVersion.current()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}
