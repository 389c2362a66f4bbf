package rules

import "slices"

// Phrases are what the engine says besides the rules' messages, in Kazakh, Russian and
// English: the remedies that would turn a refusal into an approval. They are templates of
// the messages' syntax (doc.go, section Messages) over named arguments, compiled with
// every set, so that one printer writes them in the language of the rules' messages and
// with the same numbers, dates and cases.

// phrase is one phrase: its name, its arguments with their kinds, and its templates in the
// order of languages.
type phrase struct {
	name  string
	args  []phraseArg
	texts kkRuEn
}

type phraseArg struct {
	name string
	kind Kind
}

// phrases are the engine's phrases. The names are those [Printer.Phrase] takes.
var phrases = []phrase{
	{name: "remedy_if", args: []phraseArg{{"conditions", String}, {"effective_from", DateKind}}, texts: kkRuEn{
		"Егер {conditions}, өтінішіңіз мақұлданады, ал тіркеу {effective_from:abl} бастап күшіне енеді.",
		"Если {conditions}, заявление будет одобрено, а прикрепление вступит в силу с {effective_from}.",
		"If {conditions}, the application will be approved and the registration (attachment) will take effect from {effective_from}.",
	}},
	{name: "remedy_and", texts: kkRuEn{" және ", " и ", " and "}},
	{name: "remedy_waive", texts: kkRuEn{
		"үйге дәрігер шақыртудан бас тартсаңыз",
		"Вы откажетесь от вызова врача на дом",
		"you give up home visits by a doctor",
	}},
	{name: "remedy_doctor", args: []phraseArg{{"doctor", String}, {"free_places", Int}}, texts: kkRuEn{
		"осы емханадағы {doctor} дәрігерді таңдасаңыз (бос орын: {free_places})",
		"Вы выберете врача {doctor} в этой же поликлинике (свободных мест: {free_places})",
		"you choose doctor {doctor} at the same clinic ({free_places|one:# free place|other:# free places})",
	}},
	{name: "remedy_reason", args: []phraseArg{{"reasons", Strings}}, texts: kkRuEn{
		"Егер Сізде емхананы ауыстыру себептерінің бірі болса ({reasons}), оны өтініште көрсетіңіз: сонда өтінішіңіз мақұлданады.",
		"Если у Вас есть одно из оснований для смены поликлиники ({reasons}), укажите его в заявлении: тогда заявление будет одобрено.",
		"If one of the reasons for changing clinic applies to you ({reasons}), please state it in the application: the application will then be approved.",
	}},
	{name: "remedy_reason_if", args: []phraseArg{{"reasons", Strings}}, texts: kkRuEn{
		"Сізде емхананы ауыстыру себептерінің бірі болса ({reasons}) және оны өтініште көрсетсеңіз",
		"у Вас есть одно из оснований для смены поликлиники ({reasons}) и Вы укажете его в заявлении",
		"one of the reasons for changing clinic applies to you ({reasons}) and you state it in the application",
	}},
	{name: "remedy_date", args: []phraseArg{{"date", DateKind}}, texts: kkRuEn{
		"{date:abl} бастап қайта жүгінсеңіз",
		"Вы обратитесь повторно не ранее {date}",
		"you apply again on or after {date}",
	}},
	{name: "remedy_campaign", args: []phraseArg{{"year", String}, {"start", MonthDayKind}, {"end_day", MonthDayKind}, {"end", DateKind}}, texts: kkRuEn{
		"келесі тіркеу науқаны кезінде, {year} жылғы {start:abl} {end_day:dat} дейін қайта жүгінсеңіз",
		"Вы обратитесь повторно во время следующей кампании по прикреплению, с {start} по {end}",
		"you apply again during the next registration campaign, from {start} to {end}",
	}},
	{name: "remedy_none", texts: kkRuEn{
		"Бұл жағдайда өтінішті өзгерту көмектеспейді. Мәліметтерде қате бар деп ойласаңыз, емхананың тіркеу бөліміне хабарласыңыз.",
		"Изменения в заявлении здесь не помогут. Если Вы считаете, что в сведениях есть ошибка, обратитесь в регистратуру поликлиники.",
		"Changing the application would not help in this case. If you think some of the details are wrong, please contact the clinic's reception desk.",
	}},
}

// addPhrases compiles the phrases for a set, with the arguments of each.
func addPhrases(m *messages, set string) Errors {
	var errs Errors
	m.phrases = map[string]*compiledPhrase{}
	for _, ph := range phrases {
		shown := map[string]int{}
		kinds := map[string]Kind{}
		cp := &compiledPhrase{n: len(ph.args)}
		for i, a := range ph.args {
			shown[a.name], kinds[a.name] = i, a.kind
			cp.args = append(cp.args, msgArg{fact: i})
		}
		arg := func(name, gram string) int {
			a := msgArg{fact: shown[name], gram: gram}
			if k := slices.Index(cp.args, a); k >= 0 {
				return k
			}
			cp.args = append(cp.args, a)
			return len(cp.args) - 1
		}
		for l, tag := range languages {
			t, err := compileTemplate(ph.texts[l], l, shown, arg, func(name string) Kind { return kinds[name] })
			if err != nil { // a bug of this file: its test compiles every phrase
				err.Set, err.Field = set, "phrase "+ph.name+" ("+tag.String()+")"
				errs = append(errs, err)
			}
			cp.texts = append(cp.texts, t)
		}
		m.phrases[ph.name] = cp
	}
	return errs
}

// Phrase returns the engine's phrase of that name in the printer's language, with args,
// in the order the phrase declares them, in place of its placeholders: the words of the
// remedies that Remedies in package attach proposes. It returns "" for a name that is no
// phrase or the wrong number of arguments.
func (p *Printer) Phrase(name string, args ...Value) string {
	cp, ok := p.c.messages.phrases[name]
	if !ok || len(args) != cp.n {
		return ""
	}
	return p.render(cp.texts[p.lang], cp.args, args)
}
