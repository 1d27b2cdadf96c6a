"""Lead matching on small cases: folding, names, matching, the pair score, assignment."""

from tips import matching
from tips.language import detect_language


def _names(body="", place=""):
    return matching.tip_names(place=place, body=body)


def _side(body, place="", known=None, **extra):
    found = _names(body, place)
    assignment = matching.assign(found, known or {})
    return matching.PairSide(
        key=assignment.key,
        names=tuple(found.keys),
        several=assignment.several,
        common=frozenset(found.common),
        **extra,
    )


def test_case_accents_spacing_and_punctuation_fold_to_one_name():
    spellings = ["Pingo-Doce", "pingo doce", "PingoDoce", "PINGO DOCE", "Pingo Docê"]
    keys = [set(_names(place=s).keys) for s in spellings]
    assert all("pingodoce" in k for k in keys)


def test_inflected_and_mistyped_names_match_the_known_name():
    for written in ["Biedronki", "Biedronce", "Biedronką", "Biedornka", "biedronka."]:
        (name,) = [n for n in _names(f"W {written}").keys if not n.startswith("w")]
        assert matching.match_known(name, {"biedronka": 3, "lidl": 2}) == "biedronka", written


def test_short_names_are_not_stretched_to_other_names():
    assert not matching.same_name("kik", "kia")
    assert not matching.same_name("aldi", "lidl")
    assert not matching.same_name("zara", "primark")


def test_a_name_in_another_script_matches_by_its_consonants():
    (arabic,) = _names("رأيته في كارفور").keys
    assert matching.same_name(arabic, "carrefour")
    assert not matching.same_name(arabic, "lidl")


def test_common_words_countries_and_the_objects_own_words_are_not_names():
    found = _names("I saw this bag in a supermarket in Poland, my sister bought one last year")
    assert found.keys == []
    own = matching.tip_names(place="", body="The Tote is lovely", common=frozenset({"tote"}))
    assert "tote" not in own.keys and "lovely" in own.keys


def test_a_shared_rare_name_weighs_far_more_than_shared_common_words():
    rare = matching.pair_score(
        _side("Biedronka sells it"), _side("Kupiłam w Biedronce", known={"biedronka": 1})
    )
    common = matching.pair_score(
        _side("A bag from a supermarket in Poland"), _side("Supermarket bag, Poland")
    )
    assert rare >= 0.9
    assert common == 0.0


def test_tips_naming_different_known_leads_are_never_paired():
    known = {"biedronka": 5, "zabka": 4}
    a = _side("Biedronka in Krakow, Poland", known=known)
    b = _side("Żabka in Krakow, Poland", known=known)
    assert (a.key, b.key) == ("biedronka", "zabka")
    assert matching.pair_score(a, b) == 0.0


def test_a_tip_naming_two_known_leads_stands_alone():
    known = {"biedronka": 5, "pepco": 4}
    found = _names("Biedronka or Pepco, both have it")
    assignment = matching.assign(found, known)
    assert (assignment.key, assignment.several) == ("", True)
    side = _side("Biedronka or Pepco, both have it", known=known)
    assert matching.pair_score(side, _side("Biedronka!", known=known)) == 0.0


def test_a_city_no_tip_gave_as_its_lead_does_not_keep_a_tip_from_its_shop():
    assignment = matching.assign(_names("I saw it in Utrecht at the Hema"), {"hema": 12})
    assert assignment.key == "hema"


def test_a_new_lead_takes_the_name_that_looks_most_like_one():
    assignment = matching.assign(_names("Deze tas komt van de Hema"), {})
    assert assignment.key == "hema"


def test_a_tip_naming_nothing_known_starts_a_lead_with_its_first_name():
    assignment = matching.assign(_names("Sold at Kruidvat", place="Kruidvat Utrecht"), {})
    assert (assignment.key, assignment.label) == ("kruidvat", "Kruidvat")


def test_a_tip_without_names_has_no_lead():
    assignment = matching.assign(_names("My grandma has one like it"), {"hema": 3})
    assert (assignment.key, assignment.several) == ("", False)


def test_the_same_link_pairs_tips_that_name_nothing():
    a = _side("look", link="https://shop.example/x")
    b = _side("here", link="https://shop.example/x")
    assert matching.pair_score(a, b) == 0.95


def test_languages_are_detected_offline_and_short_texts_are_left_undecided():
    assert detect_language("Kupiłam to w Biedronce w Krakowie w zeszłym roku") == "pl"
    assert detect_language("Ich habe das bei Lidl in Köln gesehen, ganz sicher") == "de"
    assert detect_language("رأيته في كارفور في الرباط السنة الماضية") == "ar"
    assert detect_language("Hema") == ""
