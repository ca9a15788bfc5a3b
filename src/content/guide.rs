//! Authored guides (`content/guides/<slug>.md`): a tree of questions whose answers lead to
//! another question, an article's guide, a fix, a status message or the get-help block.
//!
//! ```yaml
//! title: What is wrong with your photos?
//! questions:
//!   - id: what-you-notice            # the first question is where readers start
//!     ask: What do you notice?
//!     answers:
//!       - answer: Nothing uploads from this device
//!         question: nothing-uploads   # another question of this guide
//!       - answer: A shared album stopped updating
//!         article: shared-album-not-updating
//!       - answer: None of these
//!         get_help: true
//! ```

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::front_matter::Origin;
use super::{GetHelp, Located, SourceFile};
use crate::diagnostic::Diagnostic;

/// An authored decision tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide {
    /// The id, from the file name.
    pub slug: String,
    /// Where it came from.
    pub source: SourceFile,
    /// The headline (a question or the reader's goal).
    pub title: String,
    /// One sentence for listings, search and meta tags.
    pub description: Option<String>,
    /// What readers see at a `get_help` answer.
    pub get_help: Option<GetHelp>,
    /// The questions; readers start at the first.
    pub questions: Vec<Question>,
}

impl Guide {
    /// Each question id → the index of the first question with it.
    pub fn question_index(&self) -> foldhash::HashMap<&str, usize> {
        let mut index = foldhash::HashMap::default();
        for (i, question) in self.questions.iter().enumerate() {
            index.entry(question.id.value.as_str()).or_insert(i);
        }
        index
    }
}

/// One question of a guide.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Question {
    /// Its id inside the guide, where it is written.
    pub id: Located<String>,
    /// What is asked.
    pub ask: String,
    /// An optional sentence under the question (where to look, what the words mean).
    pub hint: Option<String>,
    /// The answers readers choose from, in order.
    pub answers: Vec<Answer>,
    /// Where `answers:` is written (or the question's id when it is missing).
    pub answers_at: (usize, usize),
}

/// One answer of a question.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Answer {
    /// What the reader picks, where it is written.
    pub text: Located<String>,
    /// Where it leads: exactly one after validation.
    pub targets: Vec<Located<Target>>,
}

impl Answer {
    /// Where the answer leads (the first target written).
    pub fn target(&self) -> Option<&Target> {
        self.targets.first().map(|t| &t.value)
    }
}

/// Where an answer leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// Another question of the guide, by id.
    Question(String),
    /// An article, by slug: its guide when it has fixes, else its page.
    Article(String),
    /// A fix's page, by slug.
    Fix(String),
    /// A status message's page, by slug.
    Status(String),
    /// The guide's get-help block.
    GetHelp,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuideFront {
    title: String,
    description: Option<String>,
    get_help: Option<GetHelp>,
    #[serde(default)]
    questions: Vec<QuestionFront>,
    /// On a translation: what could not be confirmed (see the other kinds).
    unverified: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFront {
    id: Spanned<String>,
    ask: String,
    hint: Option<String>,
    #[serde(default)]
    answers: Option<Spanned<Vec<AnswerFront>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerFront {
    answer: Spanned<String>,
    question: Option<Spanned<String>>,
    article: Option<Spanned<String>>,
    fix: Option<Spanned<String>>,
    status: Option<Spanned<String>>,
    get_help: Option<Spanned<bool>>,
}

/// Parses a guide's front matter.
pub(super) fn guide(
    slug: String,
    yaml: &str,
    origin: Origin<'_>,
    source: SourceFile,
) -> Result<(Guide, Vec<Diagnostic>), Vec<Diagnostic>> {
    let front: GuideFront = super::front_matter::parse(yaml, origin).map_err(|d| vec![d])?;
    let source = origin.with_unverified(source, front.unverified)?;
    let mut diagnostics = Vec::new();
    if !source.body.trim().is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                &source.path,
                source.body_line,
                1,
                "a guide's Markdown body is not shown",
            )
            .with_hint(
                "put the introduction in `description:` and delete the text below the front matter",
            ),
        );
    }
    let questions = front
        .questions
        .into_iter()
        .map(|q| {
            let id = origin.locate(q.id);
            let (answers, answers_at) = match q.answers {
                Some(answers) => {
                    let at = origin.locate(Spanned {
                        value: (),
                        referenced: answers.referenced,
                        defined: answers.defined,
                    });
                    (answers.value, (at.line, at.column))
                }
                None => (Vec::new(), (id.line, id.column)),
            };
            Question {
                ask: q.ask,
                hint: q.hint.filter(|h| !h.trim().is_empty()),
                answers: answers.into_iter().map(|a| answer(a, origin)).collect(),
                answers_at,
                id,
            }
        })
        .collect();
    let guide = Guide {
        slug,
        source,
        title: front.title,
        description: front.description.filter(|d| !d.trim().is_empty()),
        get_help: front.get_help,
        questions,
    };
    Ok((guide, diagnostics))
}

fn answer(front: AnswerFront, origin: Origin<'_>) -> Answer {
    let target = |spanned: Spanned<String>, make: fn(String) -> Target| {
        let located = origin.locate(spanned);
        Located {
            value: make(located.value),
            line: located.line,
            column: located.column,
        }
    };
    let mut targets = Vec::new();
    targets.extend(front.question.map(|s| target(s, Target::Question)));
    targets.extend(front.article.map(|s| target(s, Target::Article)));
    targets.extend(front.fix.map(|s| target(s, Target::Fix)));
    targets.extend(front.status.map(|s| target(s, Target::Status)));
    if let Some(help) = front.get_help.filter(|h| h.value) {
        let at = origin.locate(help);
        targets.push(Located {
            value: Target::GetHelp,
            line: at.line,
            column: at.column,
        });
    }
    // Written order, so that "leads to two places" points at the second one written.
    targets.sort_by_key(|t| (t.line, t.column));
    Answer {
        text: origin.locate(front.answer),
        targets,
    }
}

/// The accepted keys, for `fixbook new` and its test.
#[cfg(test)]
pub(crate) fn accepted_keys() -> Vec<&'static str> {
    super::front_matter::keys_of::<GuideFront>()
}
