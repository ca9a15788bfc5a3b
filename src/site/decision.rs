//! An authored guide's page: its questions unfolded into one panel per way of reaching
//! them, so that each panel can show the answers given so far and let the reader change
//! one, with plain links.

use serde::Serialize;

use super::Site;
use super::context::GetHelpContext;
use crate::content::{Kind, Target};
use crate::validate::{MAX_GUIDE_DEPTH, MAX_GUIDE_PATHS};

/// The most panels one guide page gets, whatever the guide: validation keeps guides well
/// under it, this keeps a page bounded even so.
const MAX_PANELS: usize = 4 * MAX_GUIDE_PATHS;

/// `guide` on an authored guide's page.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionContext {
    /// The guide's id.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its description, or "".
    pub description: String,
    /// The panels: questions and get-help ends, the first question first.
    pub nodes: Vec<DecisionNode>,
    /// The guide's get-help block, if it has one.
    pub get_help: Option<GetHelpContext>,
}

/// One panel: a question asked, or the get-help end, after the answers in `crumbs`.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionNode {
    /// The panel's anchor: `q-<id>`, `q-<id>--2` for a second way to the same question,
    /// `help`, `help--2`, ….
    pub anchor: String,
    /// `question` or `help`.
    pub kind: &'static str,
    /// The question's id, or "".
    pub question: String,
    /// What is asked, or "".
    pub ask: String,
    /// The question's hint, or "".
    pub hint: String,
    /// The answers given on the way here, in order.
    pub crumbs: Vec<AnswerGiven>,
    /// The answers to choose from (none at a get-help end).
    pub answers: Vec<AnswerLink>,
    /// The ids of the questions asked on the way here, space-separated (`data-tried`).
    pub path: String,
}

/// An answer given on the way to a panel.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerGiven {
    /// The question it answered.
    pub ask: String,
    /// The answer.
    pub answer: String,
    /// The anchor of that question's panel ("change my answer").
    pub change: String,
}

/// An answer to choose.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerLink {
    /// What it says.
    pub text: String,
    /// Where it leads: `#anchor` on this page, or a page's address.
    pub url: String,
    /// `question`, `article_guide`, `article`, `fix`, `status` or `help`.
    pub leads: &'static str,
}

impl Site<'_> {
    /// The page of the guide at `index`.
    pub(super) fn decision(&self, index: usize) -> DecisionContext {
        let guide = &self.library.guides[index];
        let index_of = guide.question_index();
        let mut seen: foldhash::HashMap<String, usize> = foldhash::HashMap::default();
        let mut anchor = |base: String| {
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            if *count == 1 {
                base
            } else {
                format!("{base}--{count}")
            }
        };
        struct Pending {
            question: usize,
            anchor: String,
            crumbs: Vec<AnswerGiven>,
            path: Vec<String>,
        }
        let mut nodes: Vec<DecisionNode> = Vec::new();
        let mut help_nodes: Vec<DecisionNode> = Vec::new();
        let mut todo: Vec<Pending> = Vec::new();
        if let Some(first) = guide.questions.first() {
            todo.push(Pending {
                question: 0,
                anchor: anchor(format!("q-{}", first.id.value)),
                crumbs: Vec::new(),
                path: Vec::new(),
            });
        }
        // Depth first in the written order of the answers; a child's anchor is given when
        // its parent links to it.
        while let Some(pending) = todo.pop() {
            if nodes.len() + help_nodes.len() >= MAX_PANELS {
                break;
            }
            let question = &guide.questions[pending.question];
            let mut path = pending.path;
            path.push(question.id.value.clone());
            let given = |answer: &crate::content::Answer| {
                let mut crumbs = pending.crumbs.clone();
                crumbs.push(AnswerGiven {
                    ask: question.ask.clone(),
                    answer: answer.text.value.clone(),
                    change: pending.anchor.clone(),
                });
                crumbs
            };
            let mut children = Vec::new();
            let mut answers = Vec::new();
            for answer in &question.answers {
                let (url, leads) = match answer.target() {
                    Some(Target::Question(next)) => {
                        let Some(&next) = index_of.get(next.as_str()) else {
                            continue;
                        };
                        let next_id = &guide.questions[next].id.value;
                        if path.contains(next_id) || path.len() >= MAX_GUIDE_DEPTH {
                            continue;
                        }
                        let child = anchor(format!("q-{next_id}"));
                        let url = format!("#{child}");
                        children.push(Pending {
                            question: next,
                            anchor: child,
                            crumbs: given(answer),
                            path: path.clone(),
                        });
                        (url, "question")
                    }
                    Some(Target::Article(slug)) => self.article_target(slug),
                    Some(Target::Fix(slug)) => (self.config.url(&Kind::Fix.page_path(slug)), "fix"),
                    Some(Target::Status(slug)) => {
                        (self.config.url(&Kind::Status.page_path(slug)), "status")
                    }
                    Some(Target::GetHelp) => {
                        let help = anchor("help".to_owned());
                        let url = format!("#{help}");
                        help_nodes.push(DecisionNode {
                            anchor: help,
                            kind: "help",
                            question: String::new(),
                            ask: String::new(),
                            hint: String::new(),
                            crumbs: given(answer),
                            answers: Vec::new(),
                            path: path.join(" "),
                        });
                        (url, "help")
                    }
                    None => continue,
                };
                answers.push(AnswerLink {
                    text: answer.text.value.clone(),
                    url,
                    leads,
                });
            }
            nodes.push(DecisionNode {
                anchor: pending.anchor,
                kind: "question",
                question: question.id.value.clone(),
                ask: question.ask.clone(),
                hint: question.hint.clone().unwrap_or_default(),
                crumbs: pending.crumbs,
                answers,
                path: path.join(" "),
            });
            todo.extend(children.into_iter().rev());
        }
        nodes.append(&mut help_nodes);
        DecisionContext {
            slug: guide.slug.clone(),
            title: guide.title.clone(),
            description: guide.description.clone().unwrap_or_default(),
            nodes,
            get_help: guide.get_help.as_ref().map(|h| GetHelpContext {
                when: h.when.clone(),
                prepare: h.prepare.clone(),
            }),
        }
    }

    /// Where an answer naming an article leads: its guide when it has one, else its page.
    fn article_target(&self, slug: &str) -> (String, &'static str) {
        match super::pages::position(&self.library.articles, slug, |a| &a.slug) {
            Some(i) if self.has_guide(i) => (
                self.config
                    .url(&super::PageId::ArticleGuide(slug.to_owned()).url_path()),
                "article_guide",
            ),
            _ => (self.config.url(&Kind::Article.page_path(slug)), "article"),
        }
    }
}
