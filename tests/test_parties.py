"""valid_party: speakers that cannot be parties are rejected."""

from __future__ import annotations

import pytest

from briefer.engines.parties import valid_party


@pytest.mark.parametrize("name", [
    "Saturday", "on Monday", "last week", "March", "Sept", "he", "They", "it", "Pending",
    "All I'd", "What we'd", "opponents", "the critics", "4°C) warming", "KDP-C review",
    "2.5 million", "", None, "  ", "Analysis", "reporters", "a statement", "Among U.S.",
    "Despite Russia", "Partnerships Ukraine\nImage",
])
def test_rejected(name):
    assert not valid_party(name)


@pytest.mark.parametrize("name", [
    "Hamas", "Wang Yi", "the European Commission", "U.S. officials", "the farmers",
    "Democrats", "G7 leaders", "P5+1", "Sergei Ryabkov", "China's Taiwan Affairs Office",
    "Bank of Japan", "Senate Republicans",
])
def test_accepted(name):
    assert valid_party(name)


def test_party_for_prefers_a_named_person_over_an_outlet():
    from briefer.engines.attribution import People, attribute
    from briefer.engines.parties import party_for

    text = ("Analyst Reyk Knuhtsen has followed the robot makers for years.\n\n"
            '"People should take these robots seriously," Reyk Knuhtsen told CNBC.')
    people = People(text)
    sentence = text.split("\n\n")[1]
    at = text.index(sentence)
    att = attribute(sentence, people, at, [])
    assert party_for(sentence, att, people, at, []) == "Reyk Knuhtsen"


def test_party_for_falls_back_to_the_subject():
    from briefer.engines.attribution import People
    from briefer.engines.parties import party_for

    text = "Beijing regards the island as part of its territory."
    assert party_for(text, None, People(text), 0, []) == "Beijing"


def test_sentence_adverbs_are_no_parties():
    from briefer.engines.parties import valid_party

    for word in ("Rather", "Indeed", "Finally", "Otherwise", "Likewise"):
        assert not valid_party(word), word
    assert valid_party("Rather & Co") and valid_party("Hamas")


def _speaker(text: str, sentence: str, known: list[str] | None = None) -> str | None:
    from briefer.engines.attribution import People, attribute

    at = text.index(sentence)
    att = attribute(sentence, People(text), at, known or [])
    return att.party if att else None


def test_speaker_named_after_the_opening_quotation():
    text = ('"People should take these robots seriously," Reyk Knuhtsen, analyst at '
            "SemiAnalysis, told CNBC.")
    assert _speaker(text, text) == "Reyk Knuhtsen"
    text = ("Britain's Andy Murray lost in the second round.\n\n"
            "'It certainly didn't help,' said Murray.")
    assert _speaker(text, "'It certainly didn't help,' said Murray.") == "Andy Murray"


def test_role_only_speaker_is_the_titled_person_named_elsewhere():
    text = ("Israeli Prime Minister Benjamin Netanyahu spoke in Jerusalem.\n\n"
            '"The deal is bad," the Israeli leader said.')
    assert _speaker(text, '"The deal is bad," the Israeli leader said.') == "Benjamin Netanyahu"
    # no one with a matching title: the role stays as written
    text = "Talks resumed.\n\nThe French prosecutor said the inquiry would go on."
    assert _speaker(text, "The French prosecutor said the inquiry would go on.") \
        == "French prosecutor"


def test_titled_name_opening_the_sentence_before_a_relative_clause():
    sentence = ("Former presidential candidate Henrique Capriles, who is leading the recall "
                "push, said the only way to resolve the crisis was through a vote.")
    assert _speaker(sentence, sentence) == "Henrique Capriles"
    sentence = "Nancy Pelosi, a prominent Democrat, said Congress would never pass the deal."
    assert _speaker(sentence, sentence) == "Nancy Pelosi"


def test_he_is_the_person_who_spoke_last():
    text = ("U.S. President Donald Trump spoke to reporters. Trump said Vladimir Putin "
            "had angered him.\n\n\"I don't think he will go back on his word,\" he said.")
    sentence = text.split("\n\n")[1]
    assert _speaker(text, sentence, ["Donald Trump"]) == "Donald Trump"


def test_the_company_is_the_company_the_article_is_about():
    text = ("Ice cream maker Blue Bell recalled products. Shops removed Blue Bell cups. "
            "Regulators inspected Blue Bell plants.\n\nThe company said it was sorry.")
    assert _speaker(text, "The company said it was sorry.") == "Blue Bell"


def test_a_quotation_running_over_paragraphs_keeps_its_speaker():
    from briefer.engines.attribution import People, attribute
    from briefer.engines.quotes import quote_holders

    paras = ["Nancy Pelosi, the House speaker, said in a statement on Wednesday that the "
             "accord must be protected.",
             "'The UK must respect the Northern Ireland Protocol as signed with the EU.",
             "'The agreement will be proudly defended in the United States Congress.'"]
    text = "\n\n".join(paras)
    people = People(text)
    found = [attribute(p, people, text.index(p), []) for p in paras]
    held = quote_holders(paras, [0, 1, 2], found)
    assert found[0] is not None and found[1] is None and found[2] is None
    assert [h.party if h else None for h in held] == [None, "Nancy Pelosi", "Nancy Pelosi"]
    # an unquoted sentence is nobody's quotation
    assert quote_holders(["Talks went on.", "The vote is due."], [0, 0], [found[0], None]) \
        == [None, None]


def test_subject_pronouns_and_groups():
    from briefer.engines.attribution import People
    from briefer.engines.parties import subject_party

    text = ("Nigerian President Goodluck Jonathan conceded defeat.\n\n"
            "On Tuesday, he advised anyone upset with the results to follow due process.")
    sentence = text.split("\n\n")[1]
    assert subject_party(sentence, People(text), text.index(sentence), []) == "Goodluck Jonathan"
    for sentence, party in [
            ("Supporters of the project said that contact was important.",
             "Supporters of the project"),
            ("Some senior ministers are privately concerned about the deal.",
             "Some senior ministers"),
            ("Both sides agree that the dialogue produced nothing.", "Both sides"),
            ("Analysts expect production to rise.", None),  # too vague alone
            ("The efforts have yielded $2.5 billion in sales.", None)]:
        assert subject_party(sentence, People(sentence), 0, []) == party, sentence


def test_an_op_eds_arguments_are_its_authors():
    from briefer.engines.attribution import People
    from briefer.engines.parties import party_for

    text = ("Ukraine can win the drone war.\n\n"
            "It is time to finance more drone production in Ukraine.\n\n"
            "We must act before the winter.\n\n"
            "_Dr Marc De Vore is a senior lecturer at the University of St Andrews._")
    people = People(text)
    assert (people.author, people.opinion) == ("Marc De Vore", True)
    for sentence in ("It is time to finance more drone production in Ukraine.",
                     "We must act before the winter."):
        assert party_for(sentence, None, people, text.index(sentence), []) == "Marc De Vore"
    # a news story's byline names the reporter, who holds no position of their own
    news = "By Jane Roe\n\nThe ministry said prices would rise.\n\nPrices rose in May."
    people = People(news)
    assert (people.author, people.opinion) == ("Jane Roe", False)
    assert party_for("Prices rose in May.", None, people, news.index("Prices rose"), []) \
        != "Jane Roe"


def test_a_clause_before_a_preposition_is_no_speaker():
    sentence = ("Talks are currently stalled over Mr Barnier's demand to see details of the "
                "UK's new state aid regime.")
    assert _speaker(sentence, sentence) != "Talks are currently stalled"


def test_the_agent_of_a_passive_holds_the_stance():
    from briefer.engines.attribution import People
    from briefer.engines.parties import party_for

    text = ("Trump proposed a month-long pause.\n\n"
            "This proposal was rejected by UN Secretary-General Antonio Guterres.")
    people = People(text)
    sentence = text.split("\n\n")[1]
    assert party_for(sentence, None, people, text.index(sentence), []).endswith(
        "Antonio Guterres")
    # an adjective before a plural is no agent: "treasured by the American people"
    other = "The accord is treasured by the American people and will be defended."
    assert party_for(other, None, People(other), 0, []) != "American"


@pytest.mark.parametrize(("sentence", "speaker"), [
    # a role word (not only a capitalised title) before a prepositional phrase and a name
    ("In April, China's ambassador to Australia Cheng Jingye threatened boycotts of wine.",
     "Cheng Jingye"),
    # reacted / fumed: reporting verbs too
    ('"Pure tariff chaos," the chair of the trade committee, Bernd Lange, reacted.',
     "Bernd Lange"),
    ('In a post on Thursday evening, Donald Trump fumed, "They better not be charging fees."',
     "Donald Trump"),
])
def test_more_speakers(sentence, speaker):
    from briefer.engines.attribution import People, attribute

    att = attribute(sentence, People(sentence), 0, [])
    assert att is not None and att.party.endswith(speaker)


@pytest.mark.parametrize(("party", "full"), [
    ("BOJ", "Bank of Japan (BOJ)"), ("US", "United States (US)"),
    ("U.S.", "United States (U.S.)"), ("GPC", "General People's Congress (GPC)"),
    ("NATO", "NATO"),  # not spelled out in the text: unchanged
    ("Hamas", "Hamas"),
])
def test_an_acronym_the_article_spells_out_takes_its_full_form(party, full):
    from briefer.engines.parties import spelled_out

    text = ("The Bank of Japan kept rates on hold. The BOJ said prices would rise. The United "
            "States and the US Secretary of State met. The General People's Congress (GPC) "
            "rejected the attack.")
    assert spelled_out(party, text) == full


def test_a_short_clause_pointing_back_is_no_stance_alone():
    from briefer.engines.attribution import People, attribute

    sentence = ("Russia is pressing Ukraine to withdraw from the Donbas, where fighting remains "
                "intense — a condition Kyiv says it will never accept.")
    att = attribute(sentence, People(sentence), 0, [])
    assert att is not None
    start, end = att.stance
    assert sentence[start:end].startswith("Russia is pressing Ukraine")
    plain = "Kyiv says the talks will resume next week."
    att = attribute(plain, People(plain), 0, [])
    assert att is not None
    assert plain[att.stance[0] : att.stance[1]] == "the talks will resume next week"


def test_a_pronoun_after_the_closing_quotation_is_the_speaker_not_the_quotes_subject():
    from briefer.engines.attribution import People, attribute

    sentence = ('"America proposed for the first time that the two teams meet in Miami. We '
                'confirmed our participation," he said.')
    att = attribute(sentence, People(sentence), 0, ["Volodymyr Zelensky"])
    assert att is not None and att.party == "Volodymyr Zelensky"  # not "America"
    assert sentence[att.stance[0] : att.stance[1]].startswith("America proposed")


def test_he_is_a_person_who_opened_a_sentence_since_the_last_speaker():
    text = ("Sony chief Amy Pascal said the film would be shown. Sony's lawyer David Boies "
            "said it would be online. However, Boies was unsure how viewers would see it.\n\n"
            "'How it is going to be distributed, nobody knows yet,' he said.")
    sentence = text.split("\n\n")[1]
    assert _speaker(text, sentence, ["Amy Pascal", "David Boies", "Amy Pascal"]) \
        == "David Boies"
    # a person named only as an object since then does not take the pronoun
    text = ("Trump said Vladimir Putin had angered him.\n\n"
            "\"I don't think he will go back on his word,\" he said.")
    assert _speaker(text, text.split("\n\n")[1], ["Donald Trump"]) == "Donald Trump"


def test_a_role_given_after_the_name_resolves_a_role_only_mention():
    text = ("Lukman Faily said the threat was immediate. Lukman Faily, the Iraqi ambassador "
            "to the United States, warned of more attacks. Faily said time was short.\n\n"
            "The danger is growing, Iraq's ambassador said.")
    assert _speaker(text, "The danger is growing, Iraq's ambassador said.") == "Lukman Faily"


def test_the_role_nobody_holds_by_title_is_the_person_the_article_is_about():
    text = ("Donald Tusk met President Andrzej Duda. Tusk said spyware had been used. "
            "Duda listened.\n\n"
            "The prime minister said he had asked for the documents.")
    sentence = text.split("\n\n")[1]
    assert _speaker(text, sentence) == "Donald Tusk"  # not Duda: his title is another


def test_a_time_word_before_the_verb_keeps_the_named_speaker():
    sentence = ("Labour's shadow minister for the Cabinet Office, Rachel Reeves, today said "
                "the party's MPs will vote against the bill.")
    assert _speaker(sentence, sentence) == "Rachel Reeves"


@pytest.mark.parametrize(("party", "named"), [
    ("Moscow", "Moscow (Russia)"), ("Kyiv", "Kyiv (Ukraine)"), ("Beijing", "Beijing (China)"),
    ("Russia", "Russia"), ("Moscow police", "Moscow police"), ("Wang Yi", "Wang Yi"),
])
def test_a_capital_that_speaks_is_named_with_its_state(party, named):
    from briefer.engines.parties import with_state

    assert with_state(party) == named


def test_the_engine_names_a_capitals_state_in_the_brief():
    from briefer.engines.extractive import clean_party
    from briefer.engines.phrases import People

    text = "Moscow dismissed the report as unreliable."
    assert clean_party("Moscow", People(text), text) == "Moscow (Russia)"
