"""The SSML subset and the lexicon as text: what each tag and entry makes the engine say."""

from __future__ import annotations

import pytest

from openspeakers.audio.text import split_sentences
from openspeakers.engines.espeak import EspeakEngine
from openspeakers.engines.piper import PiperEngine
from openspeakers.engines.speech import plan
from openspeakers.text import lexicon, ssml
from openspeakers.text.lexicon import Entry


def spoken(text: str) -> str:
    return ssml.parse(text).spoken_text


def test_plain_text_is_not_ssml() -> None:
    assert not ssml.is_ssml("I <3 you, 1 < 2")
    assert ssml.is_ssml("  <speak>Hi</speak>")
    speech = plan("Hello there. Bye.", PiperEngine, "piper")
    assert speech.plain("Hello there. Bye.")


@pytest.mark.parametrize(("markup", "seconds"), [
    ('<break time="500ms"/>', 0.5), ('<break time="1s"/>', 1.0), ('<break time="1.5s"/>', 1.5),
    ('<break strength="strong"/>', 0.75), ("<break/>", 0.4), ('<break strength="none"/>', 0.0),
])
def test_breaks_are_pauses_of_their_length(markup: str, seconds: float) -> None:
    document = ssml.parse(f"<speak>One. {markup} Two.</speak>")
    assert [s.pause_s for s in document.segments if s.pause_s] == ([seconds] if seconds else [])
    assert document.spoken_text.split() == ["One.", "Two."]


@pytest.mark.parametrize(("kind", "written", "said"), [
    ("characters", "NASA", "N A S A"),
    ("spell-out", "ab12", "a b 1 2"),
    ("ordinal", "3", "3rd"), ("ordinal", "11", "11th"), ("ordinal", "22", "22nd"),
    ("ordinal", "101", "101st"), ("ordinal", "4th", "4th"),
    ("cardinal", "1234", "1234"),
    ("telephone", "5551234567", "555-123-4567"),
    ("telephone", "(555) 123 4567", "555-123-4567"),
    ("telephone", "+44 20 7946 0958", "44-20-7946-0958"),
    ("telephone", "555 0199 22", "555-0199-22"), ("telephone", "442079460958", "442-079-46-0958"),
])
def test_say_as_rewrites_for_a_reader(kind: str, written: str, said: str) -> None:
    assert spoken(f'<speak>It is <say-as interpret-as="{kind}">{written}</say-as>.</speak>') \
        == f"It is {said}."


@pytest.mark.parametrize(("fmt", "written", "iso"), [
    ("mdy", "4/5/2026", "2026-04-05"), ("dmy", "4/5/2026", "2026-05-04"),
    ("ymd", "2026-12-01", "2026-12-01"), ("dmy", "1.2.26", "2026-02-01"), (None, "4/5", "4/5"),
])
def test_say_as_date_becomes_iso_when_the_order_is_given(fmt: str | None, written: str,
                                                          iso: str) -> None:
    attr = f' format="{fmt}"' if fmt else ""
    assert spoken(f'<speak><say-as interpret-as="date"{attr}>{written}</say-as></speak>') == iso


def test_sub_phoneme_prosody_and_sentences() -> None:
    document = ssml.parse(
        '<speak><p><s>The <sub alias="World Wide Web Consortium">W3C</sub> met</s>'
        '<s>I like <phoneme alphabet="ipa" ph="təˈmɑːtoʊ">tomatoes</phoneme></s></p>'
        '<p><prosody rate="slow">Slowly <prosody rate="50%">slower</prosody></prosody></p>'
        "</speak>")
    assert split_sentences(document.spoken_text) == [
        "The World Wide Web Consortium met", "I like tomatoes", "Slowly slower"]
    rates = {s.text.strip(): s.rate for s in document.segments if s.text.strip()}
    assert rates["Slowly"] == 0.75 and rates["slower"] == 0.375
    [phoneme] = [s for s in document.segments if s.phonemes]
    assert (phoneme.phonemes, phoneme.alphabet) == ("təˈmɑːtoʊ", "ipa")


def test_engines_that_take_phonemes_get_them_inline_and_others_a_warning() -> None:
    text = '<speak>I like <phoneme ph="təˈmɑːtoʊ">tomatoes</phoneme>.</speak>'
    piper = plan(text, PiperEngine, "piper")
    assert [r.text for r in piper.runs] == ["I like [[təˈmɑːtoʊ]]."]
    assert piper.runs[0].inline_phonemes and piper.warnings == []
    espeak = plan(text, EspeakEngine, "espeak")
    assert [r.text for r in espeak.runs] == ["I like tomatoes."]
    assert espeak.warnings == ['<phoneme alphabet="ipa"> is not honoured by model \'espeak\' '
                               "(it takes x-espeak phonemes): the written word was spoken"]


def test_unknown_tags_are_spoken_and_reported() -> None:
    document = ssml.parse('<speak><emphasis level="strong">Really</emphasis> '
                          '<prosody pitch="high">yes</prosody></speak>')
    assert document.spoken_text == "Really yes"
    assert document.warnings == [
        "<emphasis> is not supported: its text is spoken, the tag ignored",
        '<prosody pitch="..."> is not supported and was ignored']


@pytest.mark.parametrize(("text", "where", "what"), [
    ("<speak>Hello", "line 1, column 13", "no element found"),
    ("<speak>\n  <s>Hi</p>\n</speak>", "line 2, column 10", "mismatched tag"),
    ('<speak>\nOne\n  <break time="forever"/></speak>', "line 3, column 3", "not a duration"),
    ('<speak><break time="11s"/></speak>', "line 1, column 8", "longer than 10s"),
    ('<speak><say-as interpret-as="currency">5</say-as></speak>', "line 1, column 8",
     "not one of"),
    ('<speak><sub>W3C</sub></speak>', "line 1, column 8", "alias"),
    ('<speak><phoneme alphabet="sampa" ph="x">a</phoneme></speak>', "line 1, column 8",
     "alphabet"),
    ('<speak><prosody rate="9000%">a</prosody></speak>', "line 1, column 8", "outside"),
    ("<speak><s>a</s><speak>b</speak></speak>", "line 1, column 16", "nested"),
    ('<!DOCTYPE speak [<!ENTITY a "aaaa">]><speak>&a;</speak>', "line 1, column 1",
     "DOCTYPE"),
    ("<speak>   </speak>", "line 1, column 1", "nothing to say"),
])
def test_malformed_ssml_says_where(text: str, where: str, what: str) -> None:
    with pytest.raises(ssml.SsmlError) as caught:
        ssml.parse(text)
    assert where in str(caught.value) and what in str(caught.value)
    assert caught.value.param == "text"


ENTRIES = [Entry("nginx", replacement="engine x"), Entry("New York", replacement="the Big Apple"),
           Entry("York", replacement="Yorick"), Entry("GIF", phonemes="dʒɪf"),
           Entry("Kubernetes", replacement="koo ber net ease", phonemes="kuːbɚnɛtiːz")]


def lexicon_text(text: str, alphabet: str | None = "ipa") -> tuple[str, list[str]]:
    segments, warnings = lexicon.apply(ssml.parse_any(text).segments, ENTRIES, alphabet, "m")
    return ssml.join_text([f" {s.text} " if not s.phonemes else f" [[{s.phonemes}]] "
                           for s in segments]), warnings


def test_lexicon_matches_whole_words_in_any_case_longest_first() -> None:
    assert lexicon_text("NGINX in new  york, not in Yorkshire; York.")[0] == \
        "engine x in the Big Apple, not in Yorkshire; Yorick."
    assert lexicon_text("nginxes and my-nginx")[0] == "nginxes and my- engine x"


def test_lexicon_phonemes_where_the_engine_takes_them_else_the_replacement() -> None:
    assert lexicon_text("A GIF of Kubernetes.")[0] == "A [[dʒɪf]] of [[kuːbɚnɛtiːz]]."
    text, warnings = lexicon_text("A GIF of Kubernetes.", alphabet=None)
    assert text == "A GIF of koo ber net ease."
    assert warnings == ["lexicon entry 'GIF' has only ipa phonemes, which model 'm' does not "
                        "take: it was read as written"]


def test_lexicon_leaves_what_ssml_spelt_out_alone() -> None:
    text = ('<speak>nginx <sub alias="nginx">NX</sub> '
            '<say-as interpret-as="characters">York</say-as></speak>')
    assert lexicon_text(text)[0] == "engine x nginx Y o r k"
