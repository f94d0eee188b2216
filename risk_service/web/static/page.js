// The scoring page: sends the pasted role to POST /v1/score and renders the assessment, per
// task advice and evidence, with feedback per task (POST /v1/feedback), export (JSON, CSV),
// a print view, and the transition plan of a pasted headcount table (POST /v1/workforce).
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
    advice_automate: "automate",
    advice_assist: "AI assists",
    advice_keep_human: "keep with people",
    sharesLabel: "Share of the work",
    evidence: "Decisive words",
    feedbackAsk: "Does the judgement fit?",
    agree: "Fits",
    disagree: "Does not fit",
    feedbackSaved: "Thank you, saved.",
    feedbackFailed: "The feedback could not be saved.",
    exportJson: "Download JSON",
    exportCsv: "Download CSV",
    print: "Print",
    csvHeader:
      "task;rule-based;category;share of work;advice;reason;evidence;risk score;band;" +
      "assessment;model version",
    wfHeading: "Transition plan for a workforce",
    wfHint:
      "Paste a table with one role per row: job title and headcount, optionally the yearly " +
      "cost per full-time position (copied from a spreadsheet, or separated by ; or ,).",
    wfTableLabel: "Roles and headcount",
    wfPlaceholder: "Accounts payable clerk\t12\t52000\nNurse\t30",
    wfAttritionLabel: "Attrition per year (%)",
    wfAttritionHint: "default 9 %",
    wfCostLabel: "One-off implementation cost (€)",
    wfSubmit: "Plan the transition",
    wfBusy: "Planning …",
    wfEmpty: "Please paste at least one row: a job title and a headcount.",
    wfBadRow: "Row {row}: \"{cell}\" is not a headcount (a whole number).",
    wfAutomatable: "FTE in automatable work",
    wfAssisted: "FTE in assisted work",
    wfYears: "Years until natural attrition absorbs it",
    wfYearsNone: "not within 30 years",
    wfPayback: "Payback",
    wfPaybackMonths: "{n} months",
    wfPaybackNone: "— (give costs)",
    wfChartHeading: "Automatable FTE, year by year",
    wfChartAbsorbed: "absorbed in the year",
    wfChartRemaining: "still to absorb",
    wfYear: "Year {n}",
    wfRetrain: "People to retrain, by area",
    wfRoles: "Roles",
    wfHeadcount: "{n} people",
    wfRoleError: "not scored: {msg}",
    wfAssumption: "Attrition {rate} a year ({source}).",
    wfSourceGiven: "given",
    wfSourceDefault: "IAB-Betriebspanel 2024, an assumption",
    errDetails: "Technical details",
    err429: "Too many requests — please wait a moment",
    msgForeign: "The text is in {lang}; only German and English are scored.",
    msgTooLong: "At most {n} characters.",
    msgNeedsContent: "Please give a job title, a description or tasks.",
    msgNoDuties: "No duties were found in the text. Add the role's duties, e.g. under \"Your tasks\".",
    msgField: "Please check this field.",
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
    advice_automate: "automatisieren",
    advice_assist: "KI unterstützt",
    advice_keep_human: "beim Menschen",
    sharesLabel: "Anteil an der Arbeit",
    evidence: "Ausschlaggebend",
    feedbackAsk: "Passt die Einschätzung?",
    agree: "Passt",
    disagree: "Passt nicht",
    feedbackSaved: "Danke, gespeichert.",
    feedbackFailed: "Die Rückmeldung konnte nicht gespeichert werden.",
    exportJson: "JSON herunterladen",
    exportCsv: "CSV herunterladen",
    print: "Drucken",
    csvHeader:
      "Tätigkeit;regelbasiert;Kategorie;Anteil an der Arbeit;Empfehlung;Begründung;" +
      "ausschlaggebend;Risikowert;Stufe;Bewertung;Modellversion",
    wfHeading: "Übergangsplan für eine Belegschaft",
    wfHint:
      "Fügen Sie eine Tabelle mit einer Rolle pro Zeile ein: Berufsbezeichnung und Anzahl " +
      "Beschäftigte, optional die jährlichen Kosten einer Vollzeitstelle (aus einer " +
      "Tabellenkalkulation kopiert oder mit ; bzw. , getrennt).",
    wfTableLabel: "Rollen und Anzahl Beschäftigte",
    wfPlaceholder: "Buchhalter/in\t12\t52000\nPflegefachkraft\t30",
    wfAttritionLabel: "Fluktuation pro Jahr (%)",
    wfAttritionHint: "Standard 9 %",
    wfCostLabel: "Einmalige Einführungskosten (€)",
    wfSubmit: "Übergang planen",
    wfBusy: "Wird geplant …",
    wfEmpty: "Bitte fügen Sie mindestens eine Zeile ein: Berufsbezeichnung und Anzahl.",
    wfBadRow: "Zeile {row}: „{cell}“ ist keine Anzahl Beschäftigte (eine ganze Zahl).",
    wfAutomatable: "Vollzeitstellen in automatisierbarer Arbeit",
    wfAssisted: "Vollzeitstellen in KI-unterstützter Arbeit",
    wfYears: "Jahre, bis natürliche Fluktuation sie auffängt",
    wfYearsNone: "nicht innerhalb von 30 Jahren",
    wfPayback: "Amortisation",
    wfPaybackMonths: "{n} Monate",
    wfPaybackNone: "– (Kosten angeben)",
    wfChartHeading: "Automatisierbare Vollzeitstellen, Jahr für Jahr",
    wfChartAbsorbed: "im Jahr aufgefangen",
    wfChartRemaining: "noch aufzufangen",
    wfYear: "Jahr {n}",
    wfRetrain: "Weiterzubildende nach Feld",
    wfRoles: "Rollen",
    wfHeadcount: "{n} Beschäftigte",
    wfRoleError: "nicht bewertet: {msg}",
    wfAssumption: "Fluktuation {rate} pro Jahr ({source}).",
    wfSourceGiven: "angegeben",
    wfSourceDefault: "IAB-Betriebspanel 2024, eine Annahme",
    errDetails: "Technische Einzelheiten",
    err429: "Zu viele Anfragen – bitte einen Moment warten",
    msgForeign: "Der Text ist auf {lang}; bewertet werden nur Deutsch und Englisch.",
    msgTooLong: "Höchstens {n} Zeichen.",
    msgNeedsContent: "Bitte geben Sie eine Berufsbezeichnung, eine Beschreibung oder Tätigkeiten an.",
    msgNoDuties:
      "Im Text wurden keine Tätigkeiten gefunden. Ergänzen Sie die Aufgaben der Rolle, etwa " +
      "unter „Ihre Aufgaben“.",
    msgField: "Bitte prüfen Sie dieses Feld.",
  },
};

const STORAGE_KEY = "risk-service.ui-lang";
const DRAFT_KEY = "risk-service.draft"; // the form's fields, kept across a reload
const DRAFT_FIELDS = ["text", "title", "language", "wf-table", "wf-attrition", "wf-cost"];
const LANGUAGE_NAMES = {
  de: { fr: "Französisch", es: "Spanisch", it: "Italienisch", nl: "Niederländisch",
        pt: "Portugiesisch", pl: "Polnisch", tr: "Türkisch" },
  en: { fr: "French", es: "Spanish", it: "Italian", nl: "Dutch", pt: "Portuguese",
        pl: "Polish", tr: "Turkish" },
};

// textWasTitle: the server read the text field as a job title (a chosen suggestion replaces it)
// role: the last role sent, re-sent when the interface language changes (advice_language)
const state = {
  lang: "en", result: null, problem: null, textWasTitle: false, role: null,
  plan: null, planRequest: null, planProblem: null,
};
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
  if (state.plan) renderPlan(state.plan);
  if (state.planProblem) renderPlanProblem(state.planProblem);
}

// A language switch asks the service again, so reasons and upskilling texts follow the
// interface (advice_language) instead of staying in the language of the first answer.
function switchLanguage(lang) {
  const before = state.lang;
  applyLanguage(lang);
  try {
    window.localStorage.setItem(STORAGE_KEY, state.lang);
  } catch {
    // not persisting the choice is fine
  }
  if (state.lang === before) return;
  if (state.result && state.role) send({ ...state.role, advice_language: state.lang });
  if (state.plan && state.planRequest) sendPlan(withPlanLanguage(state.planRequest));
}

function saveDraft() {
  const draft = {};
  for (const id of DRAFT_FIELDS) if ($(id)) draft[id] = $(id).value;
  try {
    window.localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // storage may be full or disabled: the form still works
  }
}

function restoreDraft() {
  let draft = null;
  try {
    draft = JSON.parse(window.localStorage.getItem(DRAFT_KEY) || "null");
  } catch {
    draft = null;
  }
  if (!draft || typeof draft !== "object") return;
  for (const id of DRAFT_FIELDS) {
    if ($(id) && typeof draft[id] === "string") $(id).value = draft[id];
  }
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

function submit(event) {
  event.preventDefault();
  const role = buildRole();
  if (!role.title && !role.description) {
    showProblem({ status: 0, clientMessage: "errEmpty" });
    $("text").focus();
    return;
  }
  send({ ...role, advice_language: state.lang }, { focus: true });
}

async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  return { response, body: await response.json().catch(() => ({})) };
}

async function send(role, { focus = false } = {}) {
  state.role = role;
  $("submit").disabled = true;
  $("busy").textContent = t("busy");
  try {
    const { response, body } = await postJson("/v1/score", role);
    if (response.ok) showResult(body, focus);
    else showProblem({ status: response.status, ...body });
  } catch {
    showProblem({ status: 0, clientMessage: "errNetwork" });
  } finally {
    $("submit").disabled = false;
    $("busy").textContent = "";
  }
}

function showResult(assessment, focus = true) {
  state.result = assessment;
  state.problem = null;
  $("error").hidden = true;
  renderResult(assessment);
  $("result").hidden = false;
  if (focus) $("result-heading").focus();
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

  renderShares(a.advice_shares);
  const tasks = $("tasks");
  tasks.replaceChildren();
  for (const [index, task] of a.tasks.entries()) {
    // the reason's percentage: of the response's three decimals, halves up (0.825 → 83)
    const pct = number(Math.floor(100 * task.rule_based + 0.5 + 1e-9), 0);
    const bar = el("span", { class: "task-bar", "aria-hidden": "true" }, el("span"));
    bar.firstChild.style.setProperty("--p", `${100 * task.rule_based}%`);
    const item = el(
      "li",
      { class: "task", "data-rule-based": String(task.rule_based), "data-advice": task.advice },
      el("span", { class: "task-text", text: task.text, lang: a.language }),
      el("span", { class: "task-pct", text: `${pct}\u00a0%`, title: t("ruleBasedAria", { pct }) }),
      el(
        "span",
        { class: "task-meta" },
        bar,
        el("span", { class: `advice advice-${task.advice}`, text: t(`advice_${task.advice}`) }),
        el("span", { class: "category", text: t(`cat_${task.category}`) }),
        el("span", { class: "weight", text: t("share", { pct: number(100 * task.weight, 0) }) }),
      ),
      el("p", { class: "reason", text: task.advice_reason, lang: adviceLanguage(a) }),
      evidenceLine(task, a.language),
      feedbackRow(a, task, index),
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
        el("p", { class: "why", text: area.why, lang: adviceLanguage(a) }),
        el("p", { class: "actions-label", text: t("actions") }),
        actions,
      ),
    );
    actions.setAttribute("lang", adviceLanguage(a));
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

// The advice texts are in the language the page asked for (advice_language), else the text's.
function adviceLanguage(a) {
  return state.role?.advice_language || a.language;
}

function renderShares(shares) {
  const box = $("shares");
  box.replaceChildren();
  if (!shares) return;
  const bar = el("div", { class: "shares-bar", "aria-hidden": "true" });
  const legend = el("ul", { class: "shares-legend" });
  for (const key of ["automate", "assist", "keep_human"]) {
    const pct = 100 * (shares[key] || 0);
    const part = el("span", { class: `share share-${key}` });
    part.style.setProperty("--w", `${pct}%`);
    bar.append(part);
    legend.append(
      el("li", { "data-advice": key }, el("span", { class: `swatch advice-${key}` }),
         `${t(`advice_${key}`)} ${number(pct, 0)}\u00a0%`),
    );
  }
  box.append(el("span", { class: "score-label", text: t("sharesLabel") }), bar, legend);
}

function evidenceLine(task, language) {
  if (!task.evidence || !task.evidence.length) return null;
  const line = el("p", { class: "evidence" }, el("span", { text: `${t("evidence")}: ` }));
  for (const word of task.evidence) line.append(el("mark", { text: word, lang: language }), " ");
  return line;
}

// Agree / disagree with a task's judgement → POST /v1/feedback with the task marked
// rule-based or not (agreeing keeps the model's side of 0.5, disagreeing takes the other).
function feedbackRow(a, task, index) {
  const row = el("div", { class: "feedback", role: "group", "aria-label": t("feedbackAsk") });
  const status = el("span", { class: "feedback-status", role: "status", "aria-live": "polite" });
  row.append(el("span", { class: "feedback-ask", text: t("feedbackAsk") }));
  for (const [key, agrees] of [["agree", true], ["disagree", false]]) {
    const button = el("button", {
      type: "button", class: `fb fb-${key}`, "aria-pressed": "false", "data-task": String(index),
    }, t(key));
    button.addEventListener("click", () => sendFeedback(a, task, agrees, row, status));
    row.append(button);
  }
  row.append(status);
  return row;
}

async function sendFeedback(a, task, agrees, row, status) {
  const ruleBased = task.rule_based >= 0.5 ? agrees : !agrees;
  const body = {
    assessment_id: a.assessment_id,
    tasks: [{ text: task.text, rule_based: ruleBased, category: task.category }],
  };
  for (const button of row.querySelectorAll("button")) button.disabled = true;
  try {
    const { response } = await postJson("/v1/feedback", body);
    if (!response.ok) throw new Error(String(response.status));
    for (const button of row.querySelectorAll("button")) {
      button.setAttribute("aria-pressed", String(button.classList.contains("fb-agree") === agrees));
    }
    status.textContent = t("feedbackSaved");
    row.dataset.sent = agrees ? "agree" : "disagree";
  } catch {
    status.textContent = t("feedbackFailed");
  } finally {
    for (const button of row.querySelectorAll("button")) button.disabled = false;
  }
}

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function fileStem(a) {
  const name = (a.matched_occupation?.label || a.matched_occupation?.title || "role")
    .toLowerCase().replace(/[^a-z0-9äöüß]+/g, "-").replace(/^-|-$/g, "");
  return `risk-${name || "role"}-${a.assessment_id.slice(0, 8)}`;
}

function exportJson() {
  const a = state.result;
  if (a) download(`${fileStem(a)}.json`, "application/json", JSON.stringify(a, null, 2) + "\n");
}

// One row per task; a spreadsheet shows text cells as text, never as a formula.
function csvCell(value, sep) {
  let text = value == null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /["\n\r]/.test(text) || text.includes(sep) ? `"${text.replace(/"/g, '""')}"` : text;
}

function exportCsv() {
  const a = state.result;
  if (!a) return;
  const sep = state.lang === "de" ? ";" : ","; // as the spreadsheet of that locale expects
  const decimal = (x) => (state.lang === "de" ? String(x).replace(".", ",") : String(x));
  const rows = [t("csvHeader").split(";")];
  for (const task of a.tasks) {
    rows.push([
      task.text, decimal(task.rule_based), t(`cat_${task.category}`), decimal(task.weight),
      t(`advice_${task.advice}`), task.advice_reason, (task.evidence || []).join(", "),
      decimal(a.risk_score), t(`band_${a.risk_band}`), a.assessment_id, a.model_version,
    ]);
  }
  const text = rows.map((row) => row.map((c) => csvCell(c, sep)).join(sep)).join("\r\n");
  download(`${fileStem(a)}.csv`, "text/csv;charset=utf-8", `\ufeff${text}\r\n`);
}

// --- transition plan -------------------------------------------------------------------

// A pasted table: one role per row, title then headcount (then cost per FTE); cells split at
// tabs (a spreadsheet's copy), else semicolons, else commas; a header row is skipped.
function parseHeadcounts(text) {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const sep = lines.some((l) => l.includes("\t")) ? "\t" : lines.some((l) => l.includes(";")) ? ";" : ",";
  const roles = [];
  for (const [n, line] of lines.entries()) {
    const cells = line.split(sep).map((c) => c.trim());
    const count = (cells[1] || "").replace(/[.\s\u00a0']/g, "");
    if (!/^\d+$/.test(count)) {
      if (n === 0 && lines.length > 1) continue; // a header row
      return { error: t("wfBadRow", { row: n + 1, cell: cells[1] || "" }) };
    }
    const role = { title: cells[0], headcount: Number(count) };
    const cost = (cells[2] || "").replace(/[€\s\u00a0]/g, "").replace(/\.(?=\d{3}(\D|$))/g, "").replace(",", ".");
    if (cost && Number.isFinite(Number(cost))) role.cost_per_fte = Number(cost);
    if (role.title) roles.push(role);
  }
  return roles.length ? { roles } : { error: t("wfEmpty") };
}

function withPlanLanguage(request) {
  return { ...request, roles: request.roles.map((r) => ({ ...r, advice_language: state.lang })) };
}

function submitPlan(event) {
  event.preventDefault();
  const parsed = parseHeadcounts($("wf-table").value);
  if (parsed.error) {
    showPlanProblem({ status: 0, message: parsed.error });
    $("wf-table").focus();
    return;
  }
  const request = { roles: parsed.roles };
  const rate = $("wf-attrition").value.trim().replace(",", ".");
  if (rate) request.attrition_rate = Number(rate) / 100;
  const cost = $("wf-cost").value.trim().replace(/[€\s.]/g, "").replace(",", ".");
  if (cost) request.implementation_cost = Number(cost);
  sendPlan(withPlanLanguage(request));
}

async function sendPlan(request) {
  state.planRequest = request;
  $("wf-submit").disabled = true;
  $("wf-busy").textContent = t("wfBusy");
  try {
    const { response, body } = await postJson("/v1/workforce", request);
    if (response.ok) {
      state.plan = body;
      state.planProblem = null;
      $("wf-error").hidden = true;
      renderPlan(body);
      $("wf-result").hidden = false;
    } else {
      showPlanProblem({ status: response.status, ...body });
    }
  } catch {
    showPlanProblem({ status: 0, clientMessage: "errNetwork" });
  } finally {
    $("wf-submit").disabled = false;
    $("wf-busy").textContent = "";
  }
}

function showPlanProblem(problem) {
  state.planProblem = problem;
  state.plan = null;
  $("wf-result").hidden = true;
  renderPlanProblem(problem);
  $("wf-error").hidden = false;
}

function renderPlanProblem(p) {
  const box = $("wf-error");
  box.replaceChildren();
  if (p.message) box.append(el("p", { text: p.message }));
  else problemInto(box, p);
}

function renderPlan(w) {
  const plan = w.plan;
  const figures = $("wf-figures");
  figures.replaceChildren();
  const years = plan.years_to_absorb;
  const months = plan.payback_months;
  for (const [key, value] of [
    ["wfAutomatable", number(plan.fte_automatable)],
    ["wfAssisted", number(plan.fte_assisted)],
    ["wfYears", years == null ? t("wfYearsNone") : number(years)],
    ["wfPayback", months == null ? t("wfPaybackNone") : t("wfPaybackMonths", { n: months })],
  ]) {
    figures.append(el("div", { class: "figure", "data-figure": key },
      el("dt", { text: t(key) }), el("dd", { text: value })));
  }
  renderPlanChart(plan);
  const retrain = $("wf-retrain");
  retrain.replaceChildren();
  for (const [area, people] of Object.entries(plan.retrain || {})) {
    retrain.append(el("li", { "data-area": area }, `${t(`area_${area}`)}: ${number(people, 0)}`));
  }
  const roles = $("wf-roles");
  roles.replaceChildren();
  for (const [n, result] of (w.results || []).entries()) {
    const title = state.planRequest?.roles[n]?.title || "";
    roles.append(el("li", {}, result.risk_score != null
      ? `${title}: ${number(result.risk_score)} (${t(`band_${result.risk_band}`)}), ${t("wfHeadcount", { n: number(result.headcount, 0) })}`
      : `${title}: ${t("wfRoleError", { msg: problemText(result) })}`));
  }
  const source = plan.assumptions.attrition_source === "given in the request"
    ? t("wfSourceGiven") : t("wfSourceDefault");
  $("wf-assumption").textContent = t("wfAssumption", {
    rate: `${number(100 * plan.assumptions.attrition_rate)}\u00a0%`, source,
  });
  $("wf-notice").textContent = plan.notice?.[state.lang] || plan.notice?.en || "";
}

// Stacked bars, one per year: the automatable FTE still to absorb before the year, the dark
// part absorbed in it. CSS only (no canvas, no SVG), with the numbers as a table for readers.
function renderPlanChart(plan) {
  const chart = $("wf-chart");
  chart.replaceChildren();
  const total = plan.fte_automatable || 0;
  let before = total;
  const table = el("table", { class: "visually-hidden" });
  table.append(el("tr", {}, el("th", { text: "" }), el("th", { text: t("wfChartAbsorbed") }),
    el("th", { text: t("wfChartRemaining") })));
  for (const year of plan.phasing || []) {
    const column = el("div", { class: "bar", "data-year": String(year.year), "aria-hidden": "true" });
    const stack = el("div", { class: "bar-stack" });
    const rest = el("span", { class: "bar-rest" });
    const absorbed = el("span", { class: "bar-absorbed" });
    rest.style.setProperty("--h", `${total ? (100 * year.fte_remaining) / total : 0}%`);
    absorbed.style.setProperty("--h", `${total ? (100 * year.fte_absorbed) / total : 0}%`);
    stack.append(rest, absorbed);
    column.append(stack, el("span", { class: "bar-label", text: String(year.year) }));
    column.title = `${t("wfYear", { n: year.year })}: ${number(year.fte_absorbed)} / ${number(year.fte_remaining)}`;
    chart.append(column);
    table.append(el("tr", {}, el("th", { text: t("wfYear", { n: year.year }) }),
      el("td", { text: number(year.fte_absorbed) }), el("td", { text: number(year.fte_remaining) })));
    before = year.fte_remaining;
  }
  chart.append(table);
  chart.dataset.years = String((plan.phasing || []).length);
  chart.dataset.remaining = String(before);
}

// --- problems ---------------------------------------------------------------------------

function problemText(p) {
  const errors = Array.isArray(p?.errors) ? p.errors : [];
  return errors.length ? translateMessage(errors[0].msg) : translateMessage(p?.detail || "");
}

// The server writes messages in English; the interface shows them in its own language,
// known ones translated, others as a general note with the original under "details".
function translateMessage(msg) {
  if (state.lang === "en" || !msg) return msg;
  let m = /^the text is in (.+?) \((\w\w)\)/.exec(msg);
  if (m) return t("msgForeign", { lang: LANGUAGE_NAMES[state.lang]?.[m[2]] || m[1] });
  m = /at most (\d+) characters/.exec(msg);
  if (m) return t("msgTooLong", { n: number(Number(m[1]), 0) });
  if (/give at least one of title, description or tasks/.test(msg)) return t("msgNeedsContent");
  if (/^no duties found/.test(msg)) return t("msgNoDuties");
  return null;
}

function problemInto(box, p) {
  const headings = {
    400: "err400", 413: "err413", 415: "err400", 422: "err422", 429: "err429", 503: "err503",
  };
  if (p.clientMessage) {
    box.append(el("p", { text: t(p.clientMessage) }));
    return;
  }
  box.append(el("h2", { text: t(headings[p.status] || "errOther") }));
  const errors = Array.isArray(p.errors) ? p.errors : [];
  const original = [];
  if (errors.length) {
    const list = el("ul");
    for (const err of errors) {
      const shown = translateMessage(err.msg);
      list.append(el("li", {}, el("strong", { text: `${fieldName(err.loc)}: ` }), shown ?? t("msgField")));
      if (shown !== err.msg) original.push(err.msg);
    }
    box.append(list);
  } else if (p.detail) {
    const shown = translateMessage(p.detail);
    if (shown) box.append(el("p", { text: shown }));
    if (shown !== p.detail) original.push(p.detail);
  }
  if (original.length) {
    const details = el("details", { class: "details" }, el("summary", { text: t("errDetails") }));
    for (const text of original) details.append(el("p", { text, lang: "en" }));
    box.append(details);
  }
}

function fieldName(loc) {
  const names = (loc || []).filter((part) => typeof part === "string" && part !== "body");
  const field = names.find((part) => `field_${part}` in I18N.en) || (names.length ? null : "body");
  return field ? t(`field_${field}`) : names.join(".");
}

function renderProblem(p) {
  const box = $("error");
  box.replaceChildren();
  const suggestions = Array.isArray(p.suggestions) ? p.suggestions : [];
  const errors = Array.isArray(p.errors) ? p.errors : [];
  state.textWasTitle = errors.some((err) => (err.loc || []).includes("description"));
  if (!suggestions.length) {
    problemInto(box, p);
    return;
  }
  box.append(el("h2", { text: t(p.status === 422 ? "err422" : "errOther") }));
  {
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
  restoreDraft();
  for (const button of document.querySelectorAll("[data-ui-lang]")) {
    button.addEventListener("click", () => switchLanguage(button.dataset.uiLang));
  }
  for (const id of DRAFT_FIELDS) {
    $(id)?.addEventListener("input", saveDraft);
    $(id)?.addEventListener("change", saveDraft);
  }
  $("score-form").addEventListener("submit", submit);
  $("example").addEventListener("click", () => {
    insertExample();
    saveDraft();
  });
  $("export-json").addEventListener("click", exportJson);
  $("export-csv").addEventListener("click", exportCsv);
  $("print").addEventListener("click", () => window.print());
  $("wf-form").addEventListener("submit", submitPlan);
}

document.addEventListener("DOMContentLoaded", init);
