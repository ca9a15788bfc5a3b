//! Translations: each names a declared language and an original, keeps the original's
//! structure, and its references resolve like the original's.

use std::collections::BTreeSet;
use std::path::Path;

use crate::config::Config;
use crate::content::{Guide, Kind, Library, Located, SourceFile, Target};
use crate::diagnostic::{Diagnostic, nearest};

/// Every problem of the library's translations.
pub(super) fn check(
    config: &Config,
    library: &Library,
    broken: &BTreeSet<(Kind, String)>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (code, translated) in &library.translations {
        if let Some(problem) = language_problem(config, code) {
            for source in translated.sources() {
                found.push(problem.at(source));
            }
            continue;
        }
        for article in &translated.articles {
            let Some(original) = original(
                library,
                Kind::Article,
                &article.slug,
                &article.source,
                &mut found,
            ) else {
                continue;
            };
            let original = &library.articles[original];
            let path = &article.source.path;
            same(
                path,
                "fixes",
                &article.fixes,
                &original.fixes,
                &original.source,
                &mut found,
            );
            same(
                path,
                "status_messages",
                &article.status_messages,
                &original.status_messages,
                &original.source,
                &mut found,
            );
            same(
                path,
                "platforms",
                &article.platforms,
                &original.platforms,
                &original.source,
                &mut found,
            );
        }
        for fix in &translated.fixes {
            let Some(original) = original(library, Kind::Fix, &fix.slug, &fix.source, &mut found)
            else {
                continue;
            };
            let original = &library.fixes[original];
            same(
                &fix.source.path,
                "platforms",
                &fix.platforms,
                &original.platforms,
                &original.source,
                &mut found,
            );
        }
        for status in &translated.statuses {
            let Some(original) = original(
                library,
                Kind::Status,
                &status.slug,
                &status.source,
                &mut found,
            ) else {
                continue;
            };
            let original = &library.statuses[original];
            let path = &status.source.path;
            same(
                path,
                "fixes",
                &status.fixes,
                &original.fixes,
                &original.source,
                &mut found,
            );
            same(
                path,
                "platforms",
                &status.platforms,
                &original.platforms,
                &original.source,
                &mut found,
            );
        }
        for guide in &translated.guides {
            let Some(original) =
                original(library, Kind::Guide, &guide.slug, &guide.source, &mut found)
            else {
                continue;
            };
            same_tree(guide, &library.guides[original], &mut found);
        }
        // References resolve as the original's do: checked on the language's view, kept
        // for the translated files only (the originals' were reported already).
        let view = library.for_language(code);
        let localized = super::references(config, &view, broken);
        found.extend(localized.into_iter().filter(|d| {
            d.path
                .as_deref()
                .is_some_and(|p| is_translation_path(p, code))
        }));
    }
    found
}

/// Why a translation into `code` cannot be published, said once per file.
struct LanguageProblem {
    message: String,
    hint: String,
}

impl LanguageProblem {
    fn at(&self, source: &SourceFile) -> Diagnostic {
        Diagnostic::error(&source.path, 0, 0, self.message.clone()).with_hint(self.hint.clone())
    }
}

fn language_problem(config: &Config, code: &str) -> Option<LanguageProblem> {
    if code == config.language {
        return Some(LanguageProblem {
            message: format!("`.{code}.md` is a translation into the site's default language"),
            hint: format!(
                "the original (without `.{code}`) is already in `{code}`; rename the file, or \
                 set another `language` in fixbook.toml"
            ),
        });
    }
    if config.is_multilingual() && config.language(code).is_some() {
        return None;
    }
    let codes = config.languages.iter().map(|l| l.code.as_str());
    let hint = match nearest(code, codes) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "declare the language in fixbook.toml, e.g. `[languages.{code}]` with a `label`"
        ),
    };
    Some(LanguageProblem {
        message: format!("unknown language `{code}` in the file name"),
        hint,
    })
}

/// The index of the original of a translation, or an error at the translation.
fn original(
    library: &Library,
    kind: Kind,
    slug: &str,
    source: &SourceFile,
    found: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let slugs = library.slugs(kind);
    if let Ok(index) = slugs.binary_search(&slug) {
        return Some(index);
    }
    let hint = match nearest(slug, slugs.iter().copied()) {
        Some(best) => format!(
            "did you mean `{best}`? A translation has its original's file name, with the language before `.md`"
        ),
        None => format!(
            "add the original `content/{}/{slug}.md` first, in the site's default language",
            kind.dir()
        ),
    };
    found.push(
        Diagnostic::error(
            &source.path,
            0,
            0,
            format!(
                "translation of the {} `{slug}`, which does not exist",
                kind.noun()
            ),
        )
        .with_hint(hint),
    );
    None
}

/// A warning when a structural list of a translation differs from its original's.
/// A translated guide asks the same questions (by id, in order) and each answer leads
/// where the original's does: only the words change.
fn same_tree(translated: &Guide, original: &Guide, found: &mut Vec<Diagnostic>) {
    let shape = |guide: &Guide| -> Vec<(String, Vec<Vec<Target>>)> {
        guide
            .questions
            .iter()
            .map(|q| {
                let answers = q
                    .answers
                    .iter()
                    .map(|a| a.targets.iter().map(|t| t.value.clone()).collect())
                    .collect();
                (q.id.value.clone(), answers)
            })
            .collect()
    };
    let theirs = shape(original);
    let ours = shape(translated);
    if ours == theirs {
        return;
    }
    // The first question that differs, to point at.
    let at = translated
        .questions
        .iter()
        .zip(&theirs)
        .position(|(q, (id, answers))| {
            q.id.value != *id
                || q.answers.len() != answers.len()
                || q.answers
                    .iter()
                    .zip(answers)
                    .any(|(a, t)| a.targets.iter().map(|x| &x.value).ne(t.iter()))
        })
        .and_then(|i| translated.questions.get(i))
        .or(translated.questions.get(theirs.len()))
        .map_or((1, 1), |q| (q.id.line, q.id.column));
    found.push(
        Diagnostic::warning(
            &translated.source.path,
            at.0,
            at.1,
            "the questions and answers differ from the original's",
        )
        .with_hint(format!(
            "a translated guide keeps the tree of `{}`: the same question ids in the same \
             order, each answer leading to the same place; translate only `ask`, `hint` and \
             `answer`",
            original.source.path.display()
        )),
    );
}

fn same(
    path: &Path,
    key: &str,
    translated: &[Located<String>],
    original: &[Located<String>],
    original_source: &SourceFile,
    found: &mut Vec<Diagnostic>,
) {
    let values =
        |list: &[Located<String>]| list.iter().map(|l| l.value.clone()).collect::<Vec<_>>();
    if values(translated) == values(original) {
        return;
    }
    let (line, column) = translated.first().map_or((1, 1), |l| (l.line, l.column));
    found.push(
        Diagnostic::warning(
            path,
            line,
            column,
            format!("`{key}` differs from the original's"),
        )
        .with_hint(format!(
            "a translation keeps the structure of `{}`: copy `{key}: [{}]` unchanged",
            original_source.path.display(),
            values(original).join(", ")
        )),
    );
}

/// Whether a diagnostic's path is a translation into `code` (`….de.md`).
fn is_translation_path(path: &Path, code: &str) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(&format!(".{code}.md")))
}
