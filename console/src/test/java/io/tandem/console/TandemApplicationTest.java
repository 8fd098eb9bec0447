package io.tandem.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TandemApplicationTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(TandemApplication.NETTY_LEAK_DETECTION);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(TandemApplication.NETTY_LEAK_DETECTION);
        } else {
            System.setProperty(TandemApplication.NETTY_LEAK_DETECTION, saved);
        }
    }

    @Test
    void aNodeRunsWithoutNettysLeakDetectorByDefault() {
        System.clearProperty(TandemApplication.NETTY_LEAK_DETECTION);

        TandemApplication.turnOffNettyLeakDetectionUnlessSet();

        assertThat(System.getProperty(TandemApplication.NETTY_LEAK_DETECTION)).isEqualTo("disabled");
    }

    @Test
    void anOperatorsLeakDetectionLevelWins() {
        System.setProperty(TandemApplication.NETTY_LEAK_DETECTION, "paranoid");

        TandemApplication.turnOffNettyLeakDetectionUnlessSet();

        assertThat(System.getProperty(TandemApplication.NETTY_LEAK_DETECTION)).isEqualTo("paranoid");
    }

    @Test
    void noDemoIsTheShortcutForTheDemoSwitch() {
        assertThat(TandemApplication.translateShortcuts(new String[] {"--no-demo", "--server.port=0"}))
            .containsExactly("--tandem.demo.enabled=false", "--server.port=0");
    }
}
