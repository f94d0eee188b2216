// The scoring page: sends the pasted role to POST /v1/score and renders the assessment.
// Vanilla JS, no dependencies; every server string goes through textContent (never innerHTML).
"use strict";

const I18N = {
  en: {
    docTitle: "Automation risk of a role",
    skip: "Skip to content",
    heading: "Automation risk of a role",
    lead: "How rule-based are the tasks of a role, and which three skills protect it best?",
    uiLanguage: "Interface language",
    textLabel: "Role, job ad or job title",
    textHint:
      "Paste a whole job ad (requirements, benefits and company blurbs are set aside), " +
      "a list of duties, or just a job title.",
    textPlaceholder: "e.g. Your tasks: posting invoices, reconciling bank statements, dunning …",
    titleLabel: "Job title",
    optional: "(optional)",
    titlePlaceholder: "e.g. Bookkeeper",
    languageLabel: "Language of the text",
    langAuto: "Detect automatically",
    submit: "Assess risk",
    example: "Insert an example",
    busy: "Assessing …",
    resultHeading: "Result",
    scoreLabel: "Risk score (0–100)",
    tasksHeading: "Tasks and how rule-based they are",
    tasksHint:
      "Each task's probability of being rule-based, i.e. writable as explicit rules or a checklist.",
    legendLow: "needs judgement",
    legendHigh: "rule-based",
    upskillingHeading: "Three upskilling areas",
    ignoredHeading: "Set aside (not tasks)",
    ignoredHint: "Requirements, benefits, company information and contact details from the ad are not scored.",
    modelVersion: "Model version",
    footer: "Bands follow the IAB cut-offs: low ≤ 30, medium 30–70, high > 70.",
    apiDocs: "API documentation",
    band_low: "low risk",
    band_medium: "medium risk",
    band_high: "high risk",
    interval: "90 % interval: {lo} – {hi}",
    matched: "Matched occupation: {title} (ISCO-08 {isco}, similarity {sim}\u00a0%)",
    notMatched: "No occupation matched: the tasks found in your text were scored.",
    readAsTitle: "Read as a job title: the typical tasks of {tasksOf} were scored.",
    readAsTitleNearby:
      "Read as a job title. Our corpus has no occupation in this unit group; the typical " +
      "tasks of the closest one, {tasksOf}, were scored.",
    share: "share of work {pct}\u00a0%",
    ruleBasedAria: "{pct}\u00a0% rule-based",
    actions: "What you can do",
    rankAria: "Rank {rank}",
    cat_routine_cognitive: "routine cognitive",
    cat_routine_manual: "routine manual",
    cat_nonroutine_analytic: "non-routine analytic",
    cat_nonroutine_interpersonal: "non-routine interpersonal",
    cat_nonroutine_manual: "non-routine manual",
    cat_ai_process_interface: "AI–process interface",
    area_complex_problem_solving: "Complex problem solving and contextual thinking",
    area_emotional_intelligence: "Emotional intelligence and empathy",
    area_ai_process_interface: "Interface skills between AI systems and business processes",
    sec_requirements: "Requirements",
    sec_benefits: "Benefits",
    sec_company: "Company",
    sec_contact: "Contact and application",
    sec_other: "Other",
    field_title: "Job title",
    field_description: "Role, job ad or job title",
    field_tasks: "Tasks",
    field_language: "Language",
    field_body: "Input",
    errEmpty: "Please paste a role, a job ad or a job title first.",
    err400: "The request could not be read",
    err413: "The text is too long",
    err422: "Please check your input",
    err503: "The service has no model loaded yet",
    errOther: "Something went wrong",
    errNetwork: "The service could not be reached. Please check the connection and try again.",
    unknownTitle: "No known occupation is close enough to this title. Did you mean one of these?",
    suggestionHint: "Choose one to assess it, or paste the role's tasks instead.",
    exampleTitle: "Accounts payable clerk",
    exampleText:
      "Your tasks\n- Posting incoming invoices\n" +
      "- Reconciling bank statements with the ledger\n- Processing payment reminders\n" +
      "- Answering supplier queries about open invoices\n\nYour profile\n" +
      "- Completed commercial training\n- Good command of MS Office\n\nWhat we offer\n" +
      "- 30 days of holiday\n- Company pension scheme",
  },
  de: {
    docTitle: "Automatisierungsrisiko einer Rolle",
    skip: "Zum Inhalt springen",
    heading: "Automatisierungsrisiko einer Rolle",
    lead:
      "Wie regelbasiert sind die Tätigkeiten einer Rolle – und welche drei Kompetenzen " +
      "schützen sie am besten?",
    uiLanguage: "Sprache der Oberfläche",
    textLabel: "Rolle, Stellenanzeige oder Berufsbezeichnung",
    textHint:
      "Fügen Sie eine ganze Stellenanzeige ein (Anforderungen, Benefits und " +
      "Unternehmensbeschreibung werden beiseitegelegt), eine Aufgabenliste oder nur einen " +
      "Berufstitel.",
    textPlaceholder: "z. B. Ihre Aufgaben: Kontieren von Rechnungen, Abgleich der Kontoauszüge …",
    titleLabel: "Berufsbezeichnung",
    optional: "(optional)",
    titlePlaceholder: "z. B. Buchhalter/in",
    languageLabel: "Sprache des Textes",
    langAuto: "Automatisch erkennen",
    submit: "Risiko bewerten",
    example: "Beispiel einfügen",
    busy: "Wird bewertet …",
    resultHeading: "Ergebnis",
    scoreLabel: "Risikowert (0–100)",
    tasksHeading: "Tätigkeiten und wie regelbasiert sie sind",
    tasksHint:
      "Wahrscheinlichkeit je Tätigkeit, regelbasiert zu sein – also als feste Regeln oder " +
      "Checkliste beschreibbar.",
    legendLow: "braucht Urteilsvermögen",
    legendHigh: "regelbasiert",
    upskillingHeading: "Drei Weiterbildungsfelder",
    ignoredHeading: "Beiseitegelegt (keine Tätigkeiten)",
    ignoredHint: "Anforderungen, Benefits, Angaben zum Unternehmen und Kontaktdaten werden nicht bewertet.",
    modelVersion: "Modellversion",
    footer: "Die Stufen folgen den IAB-Grenzen: niedrig ≤ 30, mittel 30–70, hoch > 70.",
    apiDocs: "API-Dokumentation",
    band_low: "niedriges Risiko",
    band_medium: "mittleres Risiko",
    band_high: "hohes Risiko",
    interval: "90-%-Intervall: {lo} – {hi}",
    matched: "Erkannter Beruf: {title} (ISCO-08 {isco}, Ähnlichkeit {sim}\u00a0%)",
    notMatched: "Kein Beruf zugeordnet: bewertet wurden die Tätigkeiten aus Ihrem Text.",
    readAsTitle:
      "Als Berufsbezeichnung gelesen: bewertet wurden die typischen Tätigkeiten von {tasksOf}.",
    readAsTitleNearby:
      "Als Berufsbezeichnung gelesen. Unser Korpus hat keinen Beruf dieser Berufsgattung; " +
      "bewertet wurden die typischen Tätigkeiten des nächstgelegenen, {tasksOf}.",
    share: "Anteil an der Arbeit {pct}\u00a0%",
    ruleBasedAria: "{pct}\u00a0% regelbasiert",
    actions: "Was Sie tun können",
    rankAria: "Rang {rank}",
    cat_routine_cognitive: "kognitive Routine",
    cat_routine_manual: "manuelle Routine",
    cat_nonroutine_analytic: "analytisch, nicht routinemäßig",
    cat_nonroutine_interpersonal: "interaktiv, nicht routinemäßig",
    cat_nonroutine_manual: "manuell, nicht routinemäßig",
    cat_ai_process_interface: "Schnittstelle KI–Prozess",
    area_complex_problem_solving: "Komplexe Problemlösung und kontextbezogenes Denken",
    area_emotional_intelligence: "Emotionale Intelligenz und Empathie",
    area_ai_process_interface: "Schnittstellenkompetenz zwischen KI-Systemen und Geschäftsprozessen",
    sec_requirements: "Anforderungen",
    sec_benefits: "Benefits",
    sec_company: "Unternehmen",
    sec_contact: "Kontakt und Bewerbung",
    sec_other: "Sonstiges",
    field_title: "Berufsbezeichnung",
    field_description: "Rolle, Stellenanzeige oder Berufsbezeichnung",
    field_tasks: "Tätigkeiten",
    field_language: "Sprache",
    field_body: "Eingabe",
    errEmpty: "Bitte fügen Sie zuerst eine Rolle, eine Stellenanzeige oder einen Berufstitel ein.",
    err400: "Die Anfrage konnte nicht gelesen werden",
    err413: "Der Text ist zu lang",
    err422: "Bitte prüfen Sie Ihre Eingabe",
    err503: "Der Dienst hat noch kein Modell geladen",
    errOther: "Etwas ist schiefgelaufen",
    errNetwork:
      "Der Dienst ist nicht erreichbar. Bitte prüfen Sie die Verbindung und versuchen Sie es " +
      "erneut.",
    unknownTitle:
      "Kein bekannter Beruf kommt dieser Bezeichnung nahe genug. Meinten Sie einen dieser Berufe?",
    suggestionHint: "Wählen Sie einen aus, um ihn zu bewerten, oder fügen Sie die Tätigkeiten ein.",
    exampleTitle: "Sachbearbeiter/in Kreditorenbuchhaltung",
    exampleText:
      "Ihre Aufgaben\n- Kontieren und Buchen von Eingangsrechnungen\n- Abgleich der Kontoauszüge\n" +
      "- Bearbeitung des Mahnwesens\n- Beantwortung von Rückfragen unserer Lieferanten\n\n" +
      "Ihr Profil\n- Abgeschlossene kaufmännische Ausbildung\n- Sicherer Umgang mit MS Office\n\n" +
      "Wir bieten\n- 30 Tage Urlaub\n- Betriebliche Altersvorsorge",
  },
};

const STORAGE_KEY = "risk-service.ui-lang";

// textWasTitle: the server read the text field as a job title (a chosen suggestion replaces it)
const state = { lang: "en", result: null, problem: null, textWasTitle: false };
const $ = (id) => document.getElementById(id);

function t(key, params = {}) {
  const table = I18N[state.lang] || I18N.en;
  const text = key in table ? table[key] : I18N.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function number(value, digits = 1) {
  return new Intl.NumberFormat(state.lang, { maximumFractionDigits: digits }).format(value);
}

function initialLanguage() {
  let stored = null;
  try {
    stored = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage may be disabled; fall back to the browser's language
  }
  if (stored && stored in I18N) return stored;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = String(tag || "").slice(0, 2).toLowerCase();
    if (base in I18N) return base;
  }
  return "en";
}

function applyLanguage(lang) {
  state.lang = lang in I18N ? lang : "en";
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const button of document.querySelectorAll("[data-ui-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.uiLang === state.lang));
  }
  if (state.result) renderResult(state.result);
  if (state.problem) renderProblem(state.problem);
}

// The text goes to the API as it is: the service decides whether a short line is a job title
// (the answer's read_as), so the page and the API give one answer for one role.
function buildRole() {
  const description = $("text").value.trim();
  const title = $("title").value.trim();
  const role = {};
  if (title) role.title = title;
  if (description) role.description = description;
  if ($("language").value) role.language = $("language").value;
  return role;
}

async function submit(event) {
  event.preventDefault();
  const role = buildRole();
  if (!role.title && !role.description) {
    showProblem({ status: 0, clientMessage: "errEmpty" });
    $("text").focus();
    return;
  }
  $("submit").disabled = true;
  $("busy").textContent = t("busy");
  try {
    const response = await fetch("/v1/score", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(role),
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) showResult(body);
    else showProblem({ status: response.status, ...body });
  } catch {
    showProblem({ status: 0, clientMessage: "errNetwork" });
  } finally {
    $("submit").disabled = false;
    $("busy").textContent = "";
  }
}

function showResult(assessment) {
  state.result = assessment;
  state.problem = null;
  $("error").hidden = true;
  renderResult(assessment);
  $("result").hidden = false;
  $("result-heading").focus();
}

function showProblem(problem) {
  state.problem = problem;
  state.result = null;
  $("result").hidden = true;
  renderProblem(problem);
  $("error").hidden = false;
}

function renderResult(a) {
  $("score").textContent = number(a.risk_score);
  const band = $("band");
  band.textContent = t(`band_${a.risk_band}`);
  band.className = `band band-${a.risk_band}`;
  band.dataset.band = a.risk_band;

  const [lo, hi] = a.interval;
  const gauge = $("gauge");
  gauge.style.setProperty("--lo", `${lo}%`);
  gauge.style.setProperty("--span", `${Math.max(hi - lo, 0.5)}%`);
  gauge.style.setProperty("--at", `${a.risk_score}%`);
  $("interval").textContent = t("interval", { lo: number(lo), hi: number(hi) });

  const occ = a.matched_occupation;
  let occupation = t("notMatched");
  if (occ) {
    const name = occ.label || occ.title;
    const sim = number(100 * occ.similarity, 0);
    occupation = t("matched", { title: name, isco: occ.isco08, sim });
    if (a.read_as === "title") {
      const nearby = occ.basis && occ.basis !== "unit_group";
      occupation += ` ${t(nearby ? "readAsTitleNearby" : "readAsTitle", { tasksOf: occ.title })}`;
    }
  }
  $("occupation").textContent = occupation;

  const tasks = $("tasks");
  tasks.replaceChildren();
  for (const task of a.tasks) {
    const pct = number(100 * task.rule_based, 0);
    const bar = el("span", { class: "task-bar", "aria-hidden": "true" }, el("span"));
    bar.firstChild.style.setProperty("--p", `${100 * task.rule_based}%`);
    const item = el(
      "li",
      { class: "task", "data-rule-based": String(task.rule_based) },
      el("span", { class: "task-text", text: task.text }),
      el("span", { class: "task-pct", text: `${pct}\u00a0%`, title: t("ruleBasedAria", { pct }) }),
      el(
        "span",
        { class: "task-meta" },
        bar,
        el("span", { class: "category", text: t(`cat_${task.category}`) }),
        el("span", { class: "weight", text: t("share", { pct: number(100 * task.weight, 0) }) }),
      ),
    );
    // green (0 = needs judgement) → red (1 = rule-based)
    item.style.setProperty("--hue", String(Math.round(130 * (1 - task.rule_based))));
    tasks.append(item);
  }

  const areas = $("upskilling");
  areas.replaceChildren();
  for (const area of [...a.upskilling].sort((x, y) => x.rank - y.rank)) {
    const actions = el("ul");
    for (const action of area.actions) actions.append(el("li", { text: action }));
    areas.append(
      el(
        "li",
        { class: "area", "data-area": area.area },
        el(
          "div",
          { class: "area-head" },
          el("span", { class: "rank", text: String(area.rank), "aria-hidden": "true" }),
          el("span", { class: "visually-hidden", text: t("rankAria", area) }),
          el("h4", { text: t(`area_${area.area}`) }),
        ),
        el("p", { class: "why", text: area.why, lang: a.language }),
        el("p", { class: "actions-label", text: t("actions") }),
        actions,
      ),
    );
    actions.setAttribute("lang", a.language);
  }

  const ignored = $("ignored");
  ignored.replaceChildren();
  const sections = Object.entries(a.ignored || {}).filter(([, items]) => items.length);
  for (const [section, items] of sections) {
    const list = el("ul", { lang: a.language });
    for (const item of items) list.append(el("li", { text: item }));
    ignored.append(el("div", { "data-section": section }, el("h4", { text: t(`sec_${section}`) }), list));
  }
  $("ignored-card").hidden = sections.length === 0;
  $("model-version").textContent = a.model_version;
}

function fieldName(loc) {
  const names = (loc || []).filter((part) => typeof part === "string" && part !== "body");
  const field = names.find((part) => `field_${part}` in I18N.en) || (names.length ? null : "body");
  return field ? t(`field_${field}`) : names.join(".");
}

function renderProblem(p) {
  const box = $("error");
  box.replaceChildren();
  if (p.clientMessage) {
    box.append(el("p", { text: t(p.clientMessage) }));
    return;
  }
  const headings = { 400: "err400", 413: "err413", 415: "err400", 422: "err422", 503: "err503" };
  box.append(el("h2", { text: t(headings[p.status] || "errOther") }));
  const suggestions = Array.isArray(p.suggestions) ? p.suggestions : [];
  const errors = Array.isArray(p.errors) ? p.errors : [];
  state.textWasTitle = errors.some((err) => (err.loc || []).includes("description"));
  if (suggestions.length) {
    box.append(el("p", { text: t("unknownTitle") }));
    const row = el("div", { class: "suggestions" });
    for (const s of suggestions) {
      const name = s.label || s.title;
      const button = el(
        "button",
        { type: "button", class: "suggestion", "data-title": name },
        name,
        " ",
        el("small", { text: `ISCO-08 ${s.isco08}` }),
      );
      button.addEventListener("click", () => chooseSuggestion(name));
      row.append(button);
    }
    box.append(row, el("p", { class: "hint", text: t("suggestionHint") }));
    return;
  }
  // The server writes details in English; field names are translated here.
  if (!errors.length && p.detail) box.append(el("p", { text: p.detail, lang: "en" }));
  if (errors.length) {
    const list = el("ul");
    for (const err of errors) {
      list.append(el("li", {}, el("strong", { text: `${fieldName(err.loc)}: ` }), err.msg));
    }
    box.append(list);
  }
}

function chooseSuggestion(title) {
  if (state.textWasTitle) $("text").value = "";
  $("title").value = title;
  $("score-form").requestSubmit();
}

function insertExample() {
  $("title").value = t("exampleTitle");
  $("text").value = t("exampleText");
  $("language").value = "";
  $("text").focus();
}

function init() {
  applyLanguage(initialLanguage());
  for (const button of document.querySelectorAll("[data-ui-lang]")) {
    button.addEventListener("click", () => {
      applyLanguage(button.dataset.uiLang);
      try {
        window.localStorage.setItem(STORAGE_KEY, state.lang);
      } catch {
        // not persisting the choice is fine
      }
    });
  }
  $("score-form").addEventListener("submit", submit);
  $("example").addEventListener("click", insertExample);
}

document.addEventListener("DOMContentLoaded", init);
