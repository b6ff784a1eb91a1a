package io.fjord.protocol.generator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionsTest {

    @Test
    void shouldParseEveryFormOfTheSpecLanguage() {
        assertThat(Versions.parse("3", null)).isEqualTo(new Versions((short) 3, (short) 3));
        assertThat(Versions.parse("1-4", null)).isEqualTo(new Versions((short) 1, (short) 4));
        assertThat(Versions.parse("2+", null)).isEqualTo(new Versions((short) 2, Short.MAX_VALUE));
        assertThat(Versions.parse("none", null).isEmpty()).isTrue();
        assertThat(Versions.parse(null, Versions.ALL)).isEqualTo(Versions.ALL);
        assertThatThrownBy(() -> Versions.parse("4-1", null)).isInstanceOf(SpecException.class);
        assertThatThrownBy(() -> Versions.parse("x", null)).isInstanceOf(SpecException.class);
    }

    @Test
    void shouldRenderMinimalJavaConditions() {
        assertThat(Versions.parse("0+", null).javaCondition("v")).isEqualTo("true");
        assertThat(Versions.parse("3+", null).javaCondition("v")).isEqualTo("v >= 3");
        assertThat(Versions.parse("0-2", null).javaCondition("v")).isEqualTo("v <= 2");
        assertThat(Versions.parse("2-5", null).javaCondition("v")).isEqualTo("(v >= 2 && v <= 5)");
        assertThat(Versions.NONE.javaCondition("v")).isEqualTo("false");
        assertThat(Versions.parse("9+", null).javaCondition("v", Versions.parse("10+", null))).isEqualTo("true");
        assertThat(Versions.parse("9+", null).javaCondition("v", Versions.parse("0-8", null))).isEqualTo("false");
        assertThat(Versions.parse("9+", null).javaCondition("v", Versions.parse("5-12", null))).isEqualTo("v >= 9");
    }

    @Test
    void shouldSubtractAnOpenEndedTaggedRange() {
        Versions versions = Versions.parse("1+", null);
        assertThat(versions.subtract(Versions.parse("4+", null))).isEqualTo(new Versions((short) 1, (short) 3));
        assertThat(versions.subtract(Versions.parse("0+", null)).isEmpty()).isTrue();
        assertThat(versions.subtract(Versions.NONE)).isEqualTo(versions);
    }
}
