"""Text as published, and the one form searches and search documents both take."""

from claimtrack.claims.text import fold_typography, normalize_for_search, normalize_text


def test_normalize_text_makes_newlines_lf_and_unicode_nfc():
    assert normalize_text("a\r\nb\rc\x00") == "a\nb\nc"
    assert normalize_text("cafe\u0301") == "caf\u00e9"
    assert normalize_text(None) is None


def test_fold_typography_makes_quotes_dashes_and_spaces_plain_character_for_character():
    typed = "“Ketamine’s” effect—fast\u00a0and ‘short’ – or not"
    folded = fold_typography(typed)
    assert folded == "\"Ketamine's\" effect-fast and 'short' - or not"
    assert len(folded) == len(typed)  # positions in the folded text are the typed text's


def test_search_form_treats_typographic_variants_and_case_alike():
    assert (
        normalize_for_search("Ketamine’s") == normalize_for_search("ketamine's") == ("ketamine's")
    )
    assert normalize_for_search("“rapid”") == normalize_for_search('"Rapid"') == '"rapid"'
    assert normalize_for_search("treatment–resistant") == "treatment-resistant"
    assert normalize_for_search("treatment—resistant") == "treatment-resistant"
    assert normalize_for_search("ÉSKETAMINE") == "ésketamine"  # beyond ASCII too
    assert normalize_for_search("cafe\u0301") == normalize_for_search("caf\u00e9")


def test_search_form_of_nothing_is_empty():
    assert normalize_for_search(None) == normalize_for_search("") == ""
