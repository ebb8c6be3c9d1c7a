"""HTML in notes → Markdown, line for line: images, breaks, emphasis, scripts, tables; hostile HTML never acts."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from indexer.html import convert_html, converted_lines, rewrite_image_sources
from indexer.notes import read_note


def converted(text: str) -> str:
    result = convert_html(text).markdown
    assert result.count("\n") == text.count("\n")
    return result


def test_a_figure_paragraph_becomes_an_image_and_its_caption() -> None:
    text = (
        '<p align = "center">\n'
        '<img src="../images/arch.png" height=200 width=500>\n'
        "<br><i> The model architecture </i></p>\n"
    )
    result = convert_html(text)
    lines = result.markdown.split("\n")
    assert lines[0] == ""
    assert lines[1] == "![](../images/arch.png)\\"  # a hard break: the caption goes below it
    assert lines[2] == "*The model architecture*"  # spaces moved out so the emphasis works
    assert [(i.line, i.src, i.width) for i in result.images] == [(2, "../images/arch.png", 500)]


def test_alt_text_and_sources_with_spaces() -> None:
    assert converted("<img alt='A [b] fig' src='images/fig 1.png'>") == "![A \\[b\\] fig](<images/fig 1.png>)"
    assert converted('<img src="x.png" title="Two-stream model">') == "![Two-stream model](x.png)"


def test_sub_and_superscripts_use_unicode_where_it_exists() -> None:
    assert converted("x<sub>n+1</sub><sup>rec</sup> and k<sup>th</sup>") == "xₙ₊₁ʳᵉᶜ and kᵗʰ"
    assert converted("R<sup>H×W</sup>, M<sub>c</sub>, a<sup>q</sup>") == "R^(H×W), M\\_c, a^q"


def test_emphasis_strong_and_links() -> None:
    assert converted("<b>bold</b> <em>it</em> <strong> s </strong>") == "**bold** *it*  **s** "
    assert converted('<a href="https://x.org/p">paper</a>') == "[paper](https://x.org/p)"


def test_figure_and_figcaption() -> None:
    result = converted('<figure><img src="a.png" alt="A"><figcaption>Figure 1: the model</figcaption></figure>')
    assert result.startswith("![A](a.png)") and "*Figure 1: the model*" in result


def test_breaks_at_line_ends_and_inside_lines() -> None:
    assert converted("Names<br>\n\n## Next") == "Names\n\n## Next"  # nothing follows: no stray backslash
    assert converted("one<br>\ntwo") == "one\\\ntwo"
    assert converted("one <br> two</br>") == "one<br>two"  # inside a line: kept as the one `<br>` it stands for
    assert converted("one<br/>two <br />three") == "one<br>two<br>three"
    assert converted("# Title<br>part") == "# Title part"  # a heading is one line
    assert converted("| a<br>b | c |\n|---|---|\n| d | e |").startswith("| a b | c |")  # so is a table row


def test_a_break_inside_a_line_is_a_space_in_the_index(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_text("# N\n\nfirst part<br>second part<br/>third part <br /> end\n", encoding="utf-8")
    texts = [block.text for section in read_note(note, tmp_path).sections for block in section.blocks]
    assert texts == ["first part second part third part end"]


def test_lists_and_tables() -> None:
    assert converted("tasks:\n<ul>\n<li>VQA</li>\n<li>VCR</li>\n</ul>") == "tasks:\n\n- VQA\n- VCR\n"
    table = "<table>\n  <tr>\n    <th>Method</th>\n    <th colspan=2>mAP</th>\n  </tr>\n  <tr>\n    <td>A</td>\n    <td>40.1</td>\n    <td>3</td>\n  </tr>\n</table>\nAfter"
    lines = converted(table).split("\n")
    assert lines[:3] == ["| Method | mAP |  |", "|---|---|---|", "| A | 40.1 | 3 |"]
    assert lines[-2:] == ["", "After"]


def test_unknown_tags_are_shown_literally_and_code_is_left_alone() -> None:
    assert converted("Introducing <pause> tokens") == "Introducing &lt;pause&gt; tokens"
    assert converted("the `<pause>` token") == "the `<pause>` token"
    fenced = "```html\n<img src='a.png'>\n```"
    assert converted(fenced) == fenced
    assert converted("see <https://x.org> and a < b and $p<q$") == "see <https://x.org> and a < b and $p<q$"


def test_hostile_html_never_acts() -> None:
    result = converted(
        '<script>alert(1)</script><img src="javascript:alert(1)"><img src=x.png onerror="alert(1)">'
        '<a href="javascript:alert(1)">click</a><iframe src="https://evil"></iframe>'
    )
    assert "<script" not in result and "&lt;script&gt;alert(1)&lt;/script&gt;" in result
    assert "javascript:" not in result.replace('&lt;img src="javascript:alert(1)"&gt;', "")
    assert "![](x.png)" in result and "onerror" not in result  # only src, alt and width are kept
    assert "click" in result and "[click]" not in result
    assert "&lt;iframe" in result


def test_front_matter_is_left_alone() -> None:
    text = "---\ntitle: <b>x</b>\n---\n<b>y</b>"
    assert converted(text) == "---\ntitle: <b>x</b>\n---\n**y**"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["<p>", "</p>", "<br>", "<i>", "</i>", "<sub>", "</sub>", "<img src='a.png'\nwidth=3>",
             "<table>", "<tr>", "<td>", "</td>", "</table>", "<li>", "<ul>", "`", "```", "\n", "\n\n",
             "text", " ", "<pause>", "<!-- c\n -->", "    ", "- ", "# ", "<a href='x'>", "</a>", "*"]
        ),
        max_size=30,
    )
)
def test_every_line_stays_where_it_was(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert len(_lines_kept(text)) == text.count("\n") + 1


def _lines_kept(text: str) -> list[str]:
    """The converted lines, without the fallback to the text as written."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return converted_lines(text, tokens)[0]


def test_image_sources_are_rewritten_in_place() -> None:
    line = "<img width=3 src='../images/a b.png'> and <img src=b.png>"
    result = rewrite_image_sources(line, lambda src, _at: f"note/{src.rsplit('/', 1)[-1]}")
    assert result == "<img width=3 src='note/a b.png'> and <img src=\"note/b.png\">"
