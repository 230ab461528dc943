"""Descriptions: paragraphs, lists and links, and never raw HTML."""

from buurtbegroting.domain.text import render_plain_text


def test_paragraphs_and_line_breaks():
    html = render_plain_text("Eerste alinea\nmet twee regels.\n\nTweede alinea.")
    assert html == "<p>Eerste alinea<br>met twee regels.</p>\n<p>Tweede alinea.</p>"


def test_bulleted_and_numbered_lists():
    html = render_plain_text("- banken\n- bomen\n\n1. plannen\n2. doen")
    assert "<ul><li>banken</li><li>bomen</li></ul>" in html
    assert "<ol><li>plannen</li><li>doen</li></ol>" in html


def test_a_list_may_follow_its_lead_in_line_directly():
    html = render_plain_text("Wat we willen:\n- banken\n- bomen\nEn verder:\n1. plannen\n2. doen")
    assert html == (
        "<p>Wat we willen:</p>\n<ul><li>banken</li><li>bomen</li></ul>\n"
        "<p>En verder:</p>\n<ol><li>plannen</li><li>doen</li></ol>"
    )


def test_links_become_safe_anchors():
    html = render_plain_text("Zie https://www.oss.nl/buurt. Tot dan!")
    assert (
        '<a href="https://www.oss.nl/buurt" rel="nofollow ugc noopener">https://www.oss.nl/buurt</a>.'
        in html
    )


def test_html_and_script_are_escaped():
    html = render_plain_text('<script>alert(1)</script> <a href="javascript:x">klik</a> <b>vet</b>')
    assert "<script>" not in html and "<b>" not in html and '<a href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_javascript_urls_are_not_linked():
    assert "<a " not in render_plain_text("javascript:alert(1)")


def test_empty_text_gives_nothing():
    assert render_plain_text("") == ""
    assert render_plain_text("\n\n  \n") == ""
