package org.backproplab.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values from a run's parameters are text: neither format may read them as markup. */
class RenderersTest {

    private final ReportDocument document = new ReportDocument()
            .heading(2, "Run <b>*x*</b>")
            .table(new ReportDocument.TableBuilder().text("name").number("value")
                    .row(List.of("a|b", "1.00e-05"))
                    .row(List.of("<script>alert(1)</script>")));

    @Test
    void markdownEscapesMarkupAndTablePipes() {
        String markdown = MarkdownRenderer.render(document);

        assertThat(markdown).contains("## Run &lt;b>\\*x\\*&lt;/b>")
                .contains("| name | value |\n|---|---:|\n")
                .contains("| a\\|b | 1.00e-05 |")
                .contains("| &lt;script>alert(1)&lt;/script> | — |");
    }

    @Test
    void htmlEscapesTextAndRightAlignsNumbers() {
        String html = HtmlRenderer.render("t", document, Map.of());

        assertThat(html).contains("<h2>Run &lt;b&gt;*x*&lt;/b&gt;</h2>")
                .contains("<td>a|b</td><td class=\"num\">1.00e-05</td>")
                .contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>")
                .doesNotContain("<script>");
    }

    @Test
    void anImageWithoutItsPngIsABug() {
        ReportDocument withImage = new ReportDocument().image(new ChartFile("x.png", "X", null));

        assertThatThrownBy(() -> HtmlRenderer.render("t", withImage, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.png");
    }

    @Test
    void anObjectiveModeIsMaxOrMin() {
        assertThat(ReportData.of("t", List.of()).withObjective("eval/accuracy", "MAX").objectiveMode())
                .isEqualTo("max");
        assertThat(ReportData.of("t", List.of()).withObjective("train/loss", null).objectiveMode()).isEqualTo("min");
        assertThatThrownBy(() -> ReportData.of("t", List.of()).withObjective("train/loss", "lowest"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lowest");
    }
}
