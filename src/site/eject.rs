//! `fixbook theme eject`: copies built-in theme files into the site's `templates/`, where
//! they override the built-in ones, as a starting point for changing them.

use std::path::{Path, PathBuf};

use super::theme::{TEMPLATES_DIR, builtin_file, builtin_names};
use crate::config::CONFIG_FILE;

/// Why nothing was ejected.
#[derive(Debug, thiserror::Error)]
pub enum EjectError {
    /// The folder is not a site.
    #[error("`{}` has no {CONFIG_FILE}; run this in a site or pass `--root DIR`", root.display())]
    NotASite {
        /// The site root given.
        root: PathBuf,
    },
    /// A name is not a file of the built-in theme.
    #[error("the built-in theme has no `{name}`; the nearest is `{nearest}`")]
    Unknown {
        /// The name as given.
        name: String,
        /// The built-in file closest to it.
        nearest: String,
    },
    /// The site already has this file: nothing is overwritten.
    #[error("`{}` already exists; nothing was written (move it away to eject the built-in one)", path.display())]
    Exists {
        /// The existing file, relative to the site root.
        path: PathBuf,
    },
    /// Writing failed.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file, relative to the site root.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Copies the built-in theme files `names` (paths under `templates/`, such as
/// `partials/cards.html` or `assets/tokens.css`; all of them when empty) into the site's
/// `templates/` folder. Every name is checked, and no file the site already has is
/// overwritten, before anything is written. Returns the files written, relative to `root`.
pub fn eject(root: &Path, names: &[String]) -> Result<Vec<PathBuf>, EjectError> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(EjectError::NotASite {
            root: root.to_path_buf(),
        });
    }
    let builtin = builtin_names();
    let wanted: Vec<String> = if names.is_empty() {
        builtin.clone()
    } else {
        names
            .iter()
            .map(|name| resolve(name, &builtin))
            .collect::<Result<_, _>>()?
    };
    let mut wanted = wanted;
    wanted.sort();
    wanted.dedup();
    let targets: Vec<(PathBuf, Vec<u8>)> = wanted
        .iter()
        .filter_map(|name| {
            builtin_file(name).map(|bytes| (Path::new(TEMPLATES_DIR).join(name), bytes))
        })
        .collect();
    if let Some((path, _)) = targets
        .iter()
        .find(|(path, _)| root.join(path).symlink_metadata().is_ok())
    {
        return Err(EjectError::Exists { path: path.clone() });
    }
    let mut written = Vec::new();
    for (path, bytes) in targets {
        let absolute = root.join(&path);
        let result = absolute
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                // `create_new`: a file that appeared since the check is not overwritten either.
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&absolute)
            })
            .and_then(|mut file| std::io::Write::write_all(&mut file, &bytes));
        if let Err(source) = result {
            return Err(EjectError::Write { path, source });
        }
        written.push(path);
    }
    Ok(written)
}

/// The built-in file a name means (`templates/` in front is allowed), or the nearest one.
fn resolve(name: &str, builtin: &[String]) -> Result<String, EjectError> {
    let trimmed = name.trim().replace('\\', "/");
    let trimmed = trimmed
        .strip_prefix("./")
        .unwrap_or(&trimmed)
        .trim_start_matches('/');
    let trimmed = trimmed
        .strip_prefix(&format!("{TEMPLATES_DIR}/"))
        .unwrap_or(trimmed);
    if builtin.iter().any(|b| b == trimmed) {
        return Ok(trimmed.to_owned());
    }
    // A file name alone (`cards.html`) means the one file of that name; otherwise the
    // closest path by edits, or by file name.
    let file_name = |path: &str| path.rsplit('/').next().unwrap_or(path).to_owned();
    let nearest = builtin
        .iter()
        .min_by_key(|b| {
            strsim::damerau_levenshtein(trimmed, b).min(strsim::damerau_levenshtein(
                &file_name(trimmed),
                &file_name(b),
            ))
        })
        .cloned()
        .unwrap_or_default();
    Err(EjectError::Unknown {
        name: name.to_owned(),
        nearest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        [
            "assets/tokens.css",
            "base.html",
            "partials/cards.html",
            "partials/fixes.html",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn names_are_paths_under_templates_with_or_without_the_folder() {
        assert_eq!(
            resolve("partials/cards.html", &names()).ok(),
            Some("partials/cards.html".into())
        );
        assert_eq!(
            resolve("templates/base.html", &names()).ok(),
            Some("base.html".into())
        );
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_nearest_built_in_file() {
        let nearest = |name: &str| match resolve(name, &names()) {
            Err(EjectError::Unknown { nearest, .. }) => nearest,
            other => panic!("{other:?}"),
        };
        assert_eq!(nearest("partials/card.html"), "partials/cards.html");
        assert_eq!(nearest("cards.html"), "partials/cards.html");
        assert_eq!(nearest("tokens.css"), "assets/tokens.css");
    }
}
