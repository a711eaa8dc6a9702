//! `/bilans/:id/synthese`: the document de synthèse (issue 12). The assigned consultant writes it
//! section by section (one text area each, the action plan as rows of a step and its horizon), saves
//! it with its revision (a stale revision is refused), submits it, and issues it once approved; the
//! beneficiary reads it once submitted, comments on any section or on the whole, and approves the
//! revision read. Admins never reach it (bilan content: the API answers 403).

use boussole_shared::synthesis::{
    ActionStep, NewSynthesisComment, SECTION_KEYS, Synthesis, SynthesisComment, SynthesisDraft,
    SynthesisSections, SynthesisStatus,
};
use boussole_shared::users::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::{SynthStrings, use_i18n},
    pages::no_reload,
};

fn title(s: &SynthStrings, key: &str) -> &'static str {
    match key {
        "circumstances" => s.s_circumstances,
        "skills" => s.s_skills,
        "investigation_results" => s.s_investigation_results,
        "project" => s.s_project,
        "alternatives" => s.s_alternatives,
        "factors_for" => s.s_factors_for,
        "factors_against" => s.s_factors_against,
        "action_plan" => s.s_action_plan,
        _ => s.s_follow_up,
    }
}

/// The text area's id (and test id) of a section.
fn field_id(key: &str) -> &'static str {
    match key {
        "circumstances" => "synthese-circumstances",
        "skills" => "synthese-skills",
        "investigation_results" => "synthese-investigation_results",
        "project" => "synthese-project",
        "alternatives" => "synthese-alternatives",
        "factors_for" => "synthese-factors_for",
        "factors_against" => "synthese-factors_against",
        _ => "synthese-follow_up",
    }
}

fn text_mut<'a>(s: &'a mut SynthesisSections, key: &str) -> Option<&'a mut String> {
    Some(match key {
        "circumstances" => &mut s.circumstances,
        "skills" => &mut s.skills,
        "investigation_results" => &mut s.investigation_results,
        "project" => &mut s.project,
        "alternatives" => &mut s.alternatives,
        "factors_for" => &mut s.factors_for,
        "factors_against" => &mut s.factors_against,
        "follow_up" => &mut s.follow_up,
        _ => return None,
    })
}

fn status_badge(s: &SynthStrings, status: SynthesisStatus) -> (Tone, &'static str) {
    match status {
        SynthesisStatus::Draft => (Tone::Muted, s.status_draft),
        SynthesisStatus::Submitted => (Tone::Warn, s.status_submitted),
        SynthesisStatus::Approved => (Tone::Ok, s.status_approved),
        SynthesisStatus::Issued => (Tone::Ok, s.status_issued),
    }
}

#[component]
pub fn SynthesisPage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let consultant = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.role))
        == Some(Role::Consultant);
    // The beneficiary's 404 means "not submitted yet": said plainly, not as an error.
    let data = loader(move || async move {
        let Some(id) = id else {
            return Err(ApiError::Unexpected(404));
        };
        match api.synthesis(id).await {
            Ok(s) => Ok(Some(s)),
            Err(e) if !consultant && e.is("not-found") => Ok(None),
            Err(e) => Err(e),
        }
    });
    let back = match (consultant, id) {
        (true, Some(id)) => format!("/bilans/{id}"),
        _ => "/beneficiaire".to_string(),
    };
    view! {
            <Page title=move || i.t().synth.title>
                <p><a href=back data-testid="synthesis-back">{move || i.t().synth.back}</a></p>
                <Loaded resource=data let:data>{
        let s: Option<Synthesis> = data;
        match (s, id) {
                    (Some(s), Some(id)) if consultant => view! { <Editor id s/> }.into_any(),
                    (Some(s), Some(id)) => view! { <Reader id s/> }.into_any(),
                    _ => view! { <p data-testid="synthesis-not-yet">{move || i.t().synth.not_yet}</p> }.into_any(),
                }
    }</Loaded>
            </Page>
        }
}

/// Status, revision and last save.
#[component]
fn Head(
    status: RwSignal<SynthesisStatus>,
    revision: RwSignal<i64>,
    updated: RwSignal<Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <p data-testid="synthesis-status" data-status=move || status.get().as_str()>
            {move || {
                let s = i.t().synth;
                let (tone, label) = status_badge(s, status.get());
                view! { <StatusBadge tone label/> }
            }}
            " "
            {move || {
                let s = i.t().synth;
                let mut out = s.revision.replace("{n}", &revision.get().to_string());
                if let Some(at) = updated.get() {
                    out.push_str(", ");
                    out.push_str(&s.updated.replace("{date}", &at));
                }
                out
            }}
        </p>
    }
}

/// The consultant's editor.
#[component]
fn Editor(id: Uuid, s: Synthesis) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let status = RwSignal::new(s.status);
    let revision = RwSignal::new(s.revision);
    let updated = RwSignal::new(s.updated_at.map(paris_fr));
    let comments = RwSignal::new(s.comments.clone());
    let texts: Vec<(&'static str, RwSignal<String>)> = SECTION_KEYS
        .iter()
        .filter(|k| **k != "action_plan")
        .map(|k| {
            (
                *k,
                RwSignal::new(s.sections.text(k).unwrap_or_default().to_string()),
            )
        })
        .collect();
    let steps = RwSignal::new(s.sections.action_plan.clone());
    let error = RwSignal::new(None::<ApiError>);
    let texts_for_draft = texts.clone();
    let draft = move || {
        let mut sections = SynthesisSections {
            action_plan: steps.get_untracked(),
            ..Default::default()
        };
        for (key, value) in &texts_for_draft {
            if let Some(t) = text_mut(&mut sections, key) {
                *t = value.get_untracked();
            }
        }
        SynthesisDraft {
            revision: revision.get_untracked(),
            sections,
        }
    };
    let apply = move |s: &Synthesis| {
        status.set(s.status);
        revision.set(s.revision);
        updated.set(s.updated_at.map(paris_fr));
    };
    // "save", "submit" (saves first, so what is submitted is what is shown) or "issue".
    let run = act(move |step: &&'static str| {
        let (step, draft) = (*step, draft());
        async move {
            error.set(None);
            let t = i.t().synth;
            let saved = if step == "issue" {
                None
            } else {
                match api.save_synthesis(id, draft).await {
                    Ok(s) => {
                        apply(&s);
                        Some(s)
                    }
                    Err(e) => return error.set(Some(e)),
                }
            };
            let done = match step {
                "save" => saved.map(|s| t.saved.replace("{n}", &s.revision.to_string())),
                "submit" => match api
                    .synthesis_step(id, "submit", revision.get_untracked())
                    .await
                {
                    Ok(s) => {
                        apply(&s);
                        Some(t.submitted.to_string())
                    }
                    Err(e) => return error.set(Some(e)),
                },
                _ => match api.issue_synthesis(id).await {
                    Ok(_) => {
                        status.set(SynthesisStatus::Issued);
                        Some(t.issued.to_string())
                    }
                    Err(e) => return error.set(Some(e)),
                },
            };
            if let Some(msg) = done {
                toasts.show(msg);
            }
        }
    });
    let missing = move |key: &'static str| {
        Signal::derive(move || {
            error.with(|e| {
                let e = e.as_ref()?;
                e.field(&format!("sections.{key}")).or_else(|| {
                    e.missing()
                        .iter()
                        .any(|m| m == key)
                        .then(|| i.t().synth.required.to_string())
                })
            })
        })
    };
    let sections = texts
        .into_iter()
        .map(|(key, value)| {
            let area = view! {
                <TextArea id=field_id(key) label=move || title(i.t().synth, key) value
                    error=missing(key) testid=field_id(key)/>
                <Comments comments section=Some(key)/>
            };
            if key == "follow_up" {
                view! { <ActionPlan steps error=missing("action_plan")/> <Comments comments section=Some("action_plan")/> {area} }.into_any()
            } else {
                area.into_any()
            }
        })
        .collect_view();
    let issued = move || status.get() == SynthesisStatus::Issued;
    view! {
        <p class="hint">{move || i.t().synth.intro_consultant}</p>
        <Head status revision updated/>
        <form class="form card" novalidate data-testid="synthesis-form" on:submit=move |ev| {
            no_reload(&ev);
            run.dispatch("save");
        }>
            {sections}
            <p class="hint">{move || i.t().synth.back_to_draft}</p>
            <FormError error testid="synthesis-error"/>
            <div class="toolbar">
                <Button submit=true busy=run.pending() testid="synthesis-save">{move || i.t().synth.save}</Button>
                <Button kind=ButtonKind::Secondary busy=run.pending() on_click=move |_| { run.dispatch("submit"); }
                    testid="synthesis-submit">{move || i.t().synth.submit}</Button>
            </div>
        </form>
        <section class="card" aria-labelledby="synthese-remise">
            <h2 id="synthese-remise">{move || i.t().synth.issue}</h2>
            <p class="hint">{move || i.t().synth.issue_hint}</p>
            <Show when=move || status.get() == SynthesisStatus::Approved>
                <Button busy=run.pending() on_click=move |_| { run.dispatch("issue"); } testid="synthesis-issue">
                    {move || i.t().synth.issue}
                </Button>
            </Show>
            <Show when=issued>
                <p data-testid="synthesis-issued">{move || i.t().synth.issued}</p>
            </Show>
        </section>
        <Show when=issued>
            <super::synthesis_send::Sendings id consultant=true/>
        </Show>
        <GeneralComments id comments/>
    }
}

/// The action plan: one row per step (what, by when), added and removed freely.
#[component]
fn ActionPlan(steps: RwSignal<Vec<ActionStep>>, error: Signal<Option<String>>) -> impl IntoView {
    let i = use_i18n();
    let count = Memo::new(move |_| steps.with(Vec::len));
    let row = move |n: usize| {
        let label = move |text: &'static str| text.replace("{n}", &(n + 1).to_string());
        let (step_id, horizon_id) = (
            format!("synthese-etape-{n}"),
            format!("synthese-echeance-{n}"),
        );
        view! {
            <li class="step-row" data-testid="synthesis-step">
                <div class="field">
                    <label for=step_id.clone()>{move || label(i.t().synth.step_text)}</label>
                    <input id=step_id type="text" data-testid="synthesis-step-text"
                        prop:value=move || steps.with(|v| v.get(n).map(|s| s.step.clone()).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); steps.update(|s| if let Some(s) = s.get_mut(n) { s.step = v; }); }/>
                </div>
                <div class="field">
                    <label for=horizon_id.clone()>{move || label(i.t().synth.step_horizon)}</label>
                    <input id=horizon_id type="text" data-testid="synthesis-step-horizon"
                        prop:value=move || steps.with(|v| v.get(n).map(|s| s.horizon.clone()).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); steps.update(|s| if let Some(s) = s.get_mut(n) { s.horizon = v; }); }/>
                </div>
                <Button kind=ButtonKind::Secondary testid="synthesis-step-remove"
                    on_click=move |_| steps.update(|s| { if n < s.len() { s.remove(n); } })>
                    {move || label(i.t().synth.step_remove)}
                </Button>
            </li>
        }
    };
    view! {
        <fieldset class="action-plan" aria-describedby="synthese-plan-erreur">
            <legend>{move || i.t().synth.s_action_plan}</legend>
            {move || (count.get() == 0).then(|| view! { <p class="hint">{i.t().synth.no_steps}</p> })}
            <ol class="plain">{move || (0..count.get()).map(row).collect_view()}</ol>
            <p class="field-error" id="synthese-plan-erreur">{move || error.get()}</p>
            <Button kind=ButtonKind::Secondary testid="synthesis-step-add"
                on_click=move |_| steps.update(|s| s.push(ActionStep::default()))>
                {move || i.t().synth.step_add}
            </Button>
        </fieldset>
    }
}

/// The comments on one section (`None`: on the whole).
#[component]
fn Comments(
    comments: RwSignal<Vec<SynthesisComment>>,
    section: Option<&'static str>,
) -> impl IntoView {
    let i = use_i18n();
    move || {
        let list: Vec<SynthesisComment> = comments.with(|c| {
            c.iter()
                .filter(|c| c.section.as_deref() == section)
                .cloned()
                .collect()
        });
        (!list.is_empty()).then(|| {
            let s = i.t().synth;
            view! {
                <ul class="comments" aria-label=s.comments>
                    {list
                        .into_iter()
                        .map(|c| view! {
                            <li data-testid="synthesis-comment">
                                <p class="hint">{s.comment_by.replace("{name}", &c.author_name).replace("{date}", &paris_fr(c.created_at))}</p>
                                <p class="prewrap">{c.body}</p>
                            </li>
                        })
                        .collect_view()}
                </ul>
            }
        })
    }
}

/// A comment form behind a disclosure, on a section or on the whole.
#[component]
fn CommentBox(
    id: Uuid,
    comments: RwSignal<Vec<SynthesisComment>>,
    section: Option<&'static str>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let send = act(move |_: &()| {
        let new = NewSynthesisComment {
            section: section.map(str::to_string),
            body: body.get_untracked(),
        };
        async move {
            error.set(None);
            match api.comment_synthesis(id, new).await {
                Ok(c) => {
                    comments.update(|l| l.push(c));
                    body.set(String::new());
                    toasts.show(i.t().synth.comment_sent);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let field_id = match section {
        Some(key) => format!("commentaire-{key}"),
        None => "commentaire-general".to_string(),
    };
    let summary = move || {
        let s = i.t().synth;
        match section {
            Some(key) => s.comment_on.replace("{section}", title(s, key)),
            None => s.comment_general.to_string(),
        }
    };
    let body_error = field_error(error, "body");
    let error_id = format!("{field_id}-erreur");
    view! {
        <details class="comment-box" data-testid="synthesis-comment-box">
            <summary>{summary}</summary>
            <form class="form" novalidate on:submit=move |ev| {
                no_reload(&ev);
                send.dispatch(());
            }>
                <div class="field">
                    <label for=field_id.clone()>{move || i.t().synth.comment_label}</label>
                    <textarea id=field_id rows="3" data-testid="synthesis-comment-body"
                        aria-invalid=move || if body_error.with(Option::is_some) { "true" } else { "false" }
                        aria-describedby=error_id.clone()
                        prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    <p class="field-error" id=error_id>{move || body_error.get()}</p>
                </div>
                <FormError error/>
                <Button submit=true busy=send.pending() testid="synthesis-comment-send">{move || i.t().synth.comment_send}</Button>
            </form>
        </details>
    }
}

/// The comments on the whole, and a form to add one.
#[component]
fn GeneralComments(id: Uuid, comments: RwSignal<Vec<SynthesisComment>>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <section class="card" aria-labelledby="synthese-commentaires">
            <h2 id="synthese-commentaires">{move || i.t().synth.comments_general}</h2>
            <Comments comments section=None/>
            <CommentBox id comments section=None/>
        </section>
    }
}

/// The beneficiary's reading: every section, its comments and a form to comment, then the approval.
#[component]
fn Reader(id: Uuid, s: Synthesis) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let status = RwSignal::new(s.status);
    let revision = RwSignal::new(s.revision);
    let updated = RwSignal::new(s.updated_at.map(paris_fr));
    let approved_at = RwSignal::new(s.approved_at.map(paris_fr));
    let comments = RwSignal::new(s.comments.clone());
    let error = RwSignal::new(None::<ApiError>);
    let approve = act(move |_: &()| {
        let rev = revision.get_untracked();
        async move {
            error.set(None);
            match api.synthesis_step(id, "approve", rev).await {
                Ok(s) => {
                    status.set(s.status);
                    approved_at.set(s.approved_at.map(paris_fr));
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let sections = SECTION_KEYS
        .iter()
        .map(|key| {
            let key: &'static str = key;
            let body = if key == "action_plan" {
                let steps = s.sections.action_plan.clone();
                if steps.is_empty() {
                    view! { <p class="hint">{move || i.t().synth.empty_section}</p> }.into_any()
                } else {
                    view! {
                        <ol data-testid="synthesis-steps">
                            {steps.into_iter().map(|st| view! {
                                <li>{st.step}{(!st.horizon.is_empty()).then(|| format!(" — {}", st.horizon))}</li>
                            }).collect_view()}
                        </ol>
                    }
                    .into_any()
                }
            } else {
                let text = s.sections.text(key).unwrap_or_default().to_string();
                if text.trim().is_empty() {
                    view! { <p class="hint">{move || i.t().synth.empty_section}</p> }.into_any()
                } else {
                    view! { <p class="prewrap">{text}</p> }.into_any()
                }
            };
            view! {
                <section class="card synthesis-section" data-testid="synthesis-section" data-key=key>
                    <h2>{move || title(i.t().synth, key)}</h2>
                    {body}
                    <Comments comments section=Some(key)/>
                    <CommentBox id comments section=Some(key)/>
                </section>
            }
        })
        .collect_view();
    view! {
        <p class="hint">{move || i.t().synth.intro_beneficiary}</p>
        <Head status revision updated/>
        {(s.status == SynthesisStatus::Issued).then(|| view! { <super::synthesis_send::Sendings id consultant=false/> })}
        {sections}
        <GeneralComments id comments/>
        <section class="card" aria-labelledby="synthese-accord">
            <h2 id="synthese-accord">{move || i.t().synth.approve}</h2>
            {move || match (status.get(), approved_at.get()) {
                (SynthesisStatus::Submitted, _) => view! {
                    <p class="hint">{i.t().synth.approve_hint.replace("{n}", &revision.get().to_string())}</p>
                    <FormError error testid="synthesis-approve-error"/>
                    <Button busy=approve.pending() on_click=move |_| { approve.dispatch(()); } testid="synthesis-approve">
                        {i.t().synth.approve}
                    </Button>
                }.into_any(),
                (SynthesisStatus::Draft, _) | (_, None) => view! {
                    <p class="hint" data-testid="synthesis-revising">{i.t().synth.revising}</p>
                }.into_any(),
                (_, Some(at)) => view! {
                    <p data-testid="synthesis-approved">{i.t().synth.approved.replace("{date}", &at)}</p>
                }.into_any(),
            }}
        </section>
    }
}
