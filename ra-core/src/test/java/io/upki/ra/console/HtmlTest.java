package io.upki.ra.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The console's template helper: text is escaped, raw slots take only markup it built, gaps are errors. */
class HtmlTest {
    @Test
    void textIsEscapedForBodiesAndQuotedAttributes() {
        assertThat(Html.of("<a title=\"{{t}}\">{{t}}</a>").render("t", "\"><script>x('1')</script>&").html())
                .isEqualTo("<a title=\"&quot;&gt;&lt;script&gt;x(&#39;1&#39;)&lt;/script&gt;&amp;\">"
                        + "&quot;&gt;&lt;script&gt;x(&#39;1&#39;)&lt;/script&gt;&amp;</a>");
    }

    @Test
    void aRawSlotRefusesAPlainString() {
        assertThatThrownBy(() -> Html.of("<p>{{{body}}}</p>").render("body", "<b>bold</b>"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("only markup built by Html");
        assertThat(Html.of("<p>{{{body}}}</p>").render("body", Html.of("<b>{{x}}</b>").render("x", "<i>")).html())
                .isEqualTo("<p><b>&lt;i&gt;</b></p>");
    }

    @Test
    void aMissingValueIsAnError() {
        assertThatThrownBy(() -> Html.of("{{a}}{{b}}").render("a", "1")).hasMessageContaining("missing: b");
    }
}
