//! The checks of authored guides: every answer leads somewhere that exists, no reader goes
//! round in circles, every question is asked, and the answers of a question differ.

use std::collections::BTreeSet;

use foldhash::HashMap;

use crate::content::{Guide, Kind, Library, Located, Target};
use crate::diagnostic::{Diagnostic, nearest};

/// The most ways through one guide: each is a section of its page, so a guide whose
/// questions are shared by many paths could otherwise grow without bound.
pub const MAX_GUIDE_PATHS: usize = 1000;

/// The most questions one way through a guide asks: each panel shows the answers before
/// it, so the page grows with the square of this.
pub const MAX_GUIDE_DEPTH: usize = 50;

/// Every problem of one guide.
pub(super) fn check(
    guide: &Guide,
    library: &Library,
    broken: &BTreeSet<(Kind, String)>,
) -> Vec<Diagnostic> {
    let path = &guide.source.path;
    let mut found = Vec::new();
    let Some(first) = guide.questions.first() else {
        found.push(
            Diagnostic::error(path, 1, 1, "the guide has no questions")
                .with_hint("add `questions:` with at least one question and its `answers:`"),
        );
        return found;
    };
    let index = guide.question_index();
    for (i, question) in guide.questions.iter().enumerate() {
        let id = &question.id;
        let earlier = index.get(id.value.as_str()).copied().unwrap_or(i);
        if !crate::id::is_valid_slug(&id.value) {
            found.push(
                Diagnostic::error(
                    path,
                    id.line,
                    id.column,
                    format!("`{}` is not a valid question id", id.value),
                )
                .with_hint(format!(
                    "ids name the question's anchor: use lowercase letters, digits and dashes, e.g. `{}`",
                    crate::id::slugify(&id.value)
                )),
            );
        }
        if earlier != i {
            found.push(
                Diagnostic::error(
                    path,
                    id.line,
                    id.column,
                    format!("duplicate question id `{}`", id.value),
                )
                .with_hint(format!(
                    "line {} has the same id; give each question its own",
                    guide.questions[earlier].id.line
                )),
            );
        }
    }
    for question in &guide.questions {
        if question.answers.is_empty() {
            let (line, column) = question.answers_at;
            found.push(
                Diagnostic::error(
                    path,
                    line,
                    column,
                    format!(
                        "the question `{}` has no answers: a reader who gets here is stuck",
                        question.id.value
                    ),
                )
                .with_hint("add `answers:`, each with `answer:` and where it leads"),
            );
        }
        let mut seen: Vec<String> = Vec::new();
        for answer in &question.answers {
            let text = &answer.text;
            let key = text
                .value
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            if seen.contains(&key) {
                found.push(
                    Diagnostic::error(
                        path,
                        text.line,
                        text.column,
                        format!(
                            "the question `{}` offers the answer “{}” twice",
                            question.id.value, text.value
                        ),
                    )
                    .with_hint("readers cannot tell them apart: reword one or remove it"),
                );
            }
            seen.push(key);
            match answer.targets.as_slice() {
                [] => found.push(
                    Diagnostic::error(
                        path,
                        text.line,
                        text.column,
                        format!("the answer “{}” leads nowhere", text.value),
                    )
                    .with_hint(
                        "add one of `question:`, `article:`, `fix:`, `status:` or `get_help: true`",
                    ),
                ),
                [target, rest @ ..] => {
                    if let Some(second) = rest.first() {
                        found.push(
                            Diagnostic::error(
                                path,
                                second.line,
                                second.column,
                                format!("the answer “{}” leads to two places", text.value),
                            )
                            .with_hint("keep one of `question:`, `article:`, `fix:`, `status:` and `get_help:`"),
                        );
                    }
                    if let Some(diagnostic) = unresolved(path, target, &index, library, broken) {
                        found.push(diagnostic);
                    }
                }
            }
        }
    }
    found.extend(cycles(guide, &index));
    let reached = reachable(guide, &index);
    for (i, question) in guide.questions.iter().enumerate() {
        if !reached[i] && index.get(question.id.value.as_str()) == Some(&i) {
            found.push(
                Diagnostic::warning(
                    path,
                    question.id.line,
                    question.id.column,
                    format!(
                        "the question `{}` is never asked: no answer leads to it",
                        question.id.value
                    ),
                )
                .with_hint(format!(
                    "point an answer at it with `question: {}`, or remove it",
                    question.id.value
                )),
            );
        }
    }
    if found.iter().all(|d| !d.is_error()) {
        let (ways, depth) = shape(guide);
        let too_many = if ways > MAX_GUIDE_PATHS {
            Some(format!(
                "the guide has more than {MAX_GUIDE_PATHS} ways through it"
            ))
        } else if depth > MAX_GUIDE_DEPTH {
            Some(format!(
                "the guide asks more than {MAX_GUIDE_DEPTH} questions on one way through it"
            ))
        } else {
            None
        };
        if let Some(message) = too_many {
            found.push(
                Diagnostic::error(path, first.id.line, first.id.column, message).with_hint(
                    "split it into several guides, or send more answers straight to articles",
                ),
            );
        }
    }
    found
}

/// The error for a target that does not exist, with a did-you-mean.
fn unresolved(
    path: &std::path::Path,
    target: &Located<Target>,
    questions: &HashMap<&str, usize>,
    library: &Library,
    broken: &BTreeSet<(Kind, String)>,
) -> Option<Diagnostic> {
    let (noun, id, kind) = match &target.value {
        Target::Question(id) => ("question", id, None),
        Target::Article(id) => ("article", id, Some(Kind::Article)),
        Target::Fix(id) => ("fix", id, Some(Kind::Fix)),
        Target::Status(id) => ("status message", id, Some(Kind::Status)),
        Target::GetHelp => return None,
    };
    let exists = match kind {
        None => questions.contains_key(id.as_str()),
        Some(Kind::Article) => library.article(id).is_some(),
        Some(Kind::Fix) => library.fix(id).is_some(),
        Some(_) => library.status(id).is_some(),
    };
    if exists || kind.is_some_and(|k| broken.contains(&(k, id.clone()))) {
        return None;
    }
    // Only for a target that is wrong: the candidates are listed, in a stable order.
    let known: Vec<&str> = match kind {
        None => {
            let mut ids: Vec<&str> = questions.keys().copied().collect();
            ids.sort_unstable();
            ids
        }
        Some(kind) => library.slugs(kind),
    };
    let hint = match (nearest(id, known.iter().copied()), kind) {
        (Some(best), _) => format!("did you mean `{best}`?"),
        (None, Some(kind)) => format!(
            "create content/{}/{id}.md or point the answer elsewhere",
            kind.dir()
        ),
        (None, None) => format!("add a question with `id: {id}` or point the answer elsewhere"),
    };
    Some(
        Diagnostic::error(
            path,
            target.line,
            target.column,
            format!("unknown {noun} `{id}`"),
        )
        .with_hint(hint),
    )
}

/// The questions one question's answers lead to, by index, each with the answer's target.
pub fn edges<'g>(
    guide: &'g Guide,
    index: &HashMap<&str, usize>,
    question: usize,
) -> Vec<(usize, &'g Located<Target>)> {
    guide.questions[question]
        .answers
        .iter()
        .filter_map(|a| a.targets.first())
        .filter_map(|t| match &t.value {
            Target::Question(id) => index.get(id.as_str()).map(|&i| (i, t)),
            _ => None,
        })
        .collect()
}

/// An error at each answer that leads back to a question asked before it on the way.
/// Depth first without recursion: a guide written as one long chain must not exhaust the
/// stack.
fn cycles(guide: &Guide, index: &HashMap<&str, usize>) -> Vec<Diagnostic> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let path = &guide.source.path;
    let mut state = vec![State::New; guide.questions.len()];
    let mut found = Vec::new();
    for start in 0..guide.questions.len() {
        if state[start] != State::New {
            continue;
        }
        let reversed = |question: usize| {
            let mut out = edges(guide, index, question);
            out.reverse();
            out
        };
        let mut stack = vec![(start, reversed(start))];
        state[start] = State::Open;
        while let Some((question, next)) = stack.last_mut() {
            let question = *question;
            match next.pop() {
                Some((to, target)) => match state[to] {
                    State::New => {
                        state[to] = State::Open;
                        stack.push((to, reversed(to)));
                    }
                    State::Open => found.push(
                        Diagnostic::error(
                            path,
                            target.line,
                            target.column,
                            format!(
                                "this answer of `{}` leads back to the question `{}`: readers would go round in circles",
                                guide.questions[question].id.value, guide.questions[to].id.value
                            ),
                        )
                        .with_hint("send it to another question, an article, a fix, a status message or `get_help: true`"),
                    ),
                    State::Done => {}
                },
                None => {
                    state[question] = State::Done;
                    stack.pop();
                }
            }
        }
    }
    found.sort_by_key(|d| (d.line, d.column));
    found
}

/// Which questions a reader can reach from the first.
fn reachable(guide: &Guide, index: &HashMap<&str, usize>) -> Vec<bool> {
    let mut reached = vec![false; guide.questions.len()];
    let mut todo = vec![0];
    while let Some(question) = todo.pop() {
        if std::mem::replace(&mut reached[question], true) {
            continue;
        }
        todo.extend(edges(guide, index, question).into_iter().map(|(to, _)| to));
    }
    reached
}

/// How many ways lead through the guide (a way ends at every answer that leaves the
/// questions), capped just over [`MAX_GUIDE_PATHS`], and the most questions one way asks;
/// meaningful for a guide without cycles.
pub fn shape(guide: &Guide) -> (usize, usize) {
    if guide.questions.is_empty() {
        return (0, 0);
    }
    let index = guide.question_index();
    let cap = MAX_GUIDE_PATHS + 1;
    // (ways, depth) from each question to the end, children first.
    let mut done: Vec<Option<(usize, usize)>> = vec![None; guide.questions.len()];
    let mut expanded = vec![false; guide.questions.len()];
    let mut stack = vec![0usize];
    while let Some(&question) = stack.last() {
        if done[question].is_some() {
            stack.pop();
            continue;
        }
        let out = edges(guide, &index, question);
        if !std::mem::replace(&mut expanded[question], true) {
            stack.extend(
                out.iter()
                    .filter(|(to, _)| !expanded[*to])
                    .map(|(to, _)| *to),
            );
            continue;
        }
        let leaving = guide.questions[question].answers.len() - out.len();
        let (mut ways, mut depth) = (leaving, 1);
        for (to, _) in &out {
            let (w, d) = done[*to].unwrap_or((cap, 0));
            ways = ways.saturating_add(w);
            depth = depth.max(d + 1);
        }
        done[question] = Some((ways.min(cap), depth));
        stack.pop();
    }
    done[0].unwrap_or((cap, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Answer, Question, SourceFile};

    fn at<T>(value: T, line: usize) -> Located<T> {
        Located {
            value,
            line,
            column: 1,
        }
    }

    /// A guide of `n` questions, each answered "next" (to the following one) and "help".
    fn chain(n: usize) -> Guide {
        let questions = (0..n)
            .map(|i| Question {
                id: at(format!("q{i}"), i + 1),
                ask: format!("Question {i}?"),
                hint: None,
                answers: vec![
                    Answer {
                        text: at("next".to_owned(), i + 1),
                        targets: if i + 1 < n {
                            vec![at(Target::Question(format!("q{}", i + 1)), i + 1)]
                        } else {
                            vec![at(Target::GetHelp, i + 1)]
                        },
                    },
                    Answer {
                        text: at("help".to_owned(), i + 1),
                        targets: vec![at(Target::GetHelp, i + 1)],
                    },
                ],
                answers_at: (i + 1, 1),
            })
            .collect();
        Guide {
            slug: "chain".into(),
            source: SourceFile {
                path: "content/guides/chain.md".into(),
                body: String::new(),
                body_line: 1,
                lang: None,
                unverified: None,
            },
            title: "Chain".into(),
            description: None,
            get_help: None,
            questions,
        }
    }

    #[test]
    fn a_very_long_chain_is_checked_without_exhausting_the_stack() {
        let guide = chain(100_000);
        let found = check(&guide, &Library::default(), &BTreeSet::new());
        // Only the number of ways is too many: one per question, plus the last "next".
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("more than 1000 ways"),
            "{found:?}"
        );
        // One way only, but too long to show.
        let mut long = chain(60);
        for question in &mut long.questions {
            question.answers.truncate(1);
        }
        assert_eq!(shape(&long), (1, 60));
        let found = check(&long, &Library::default(), &BTreeSet::new());
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("more than 50 questions"),
            "{found:?}"
        );
    }

    #[test]
    fn ways_through_a_guide_count_every_answer_that_leaves_it() {
        assert_eq!(shape(&chain(1)), (2, 1));
        assert_eq!(shape(&chain(5)), (6, 5));
        let mut shared = chain(3);
        // q0's "help" now also goes to q1: q1's three ways are reached twice.
        shared.questions[0].answers[1].targets = vec![at(Target::Question("q1".into()), 1)];
        assert_eq!(shape(&shared), (6, 3));
    }
}
