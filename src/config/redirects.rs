//! `[redirects]` in `fixbook.toml`: which hosts' redirect files the build writes for the
//! pages' old addresses (`aliases:`), besides the redirect pages every host can serve.

use serde::Deserialize;
use toml::Spanned;

use super::CONFIG_FILE;
use crate::diagnostic::Diagnostic;

/// A redirect file format: the rules a host reads to answer an old address with a 301.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RedirectFormat {
    /// `_redirects`, read by Netlify and Cloudflare Pages.
    Netlify,
    /// `redirects.nginx.conf`, a `map` for nginx.
    Nginx,
}

impl RedirectFormat {
    /// Every format, in the order they are written.
    pub const ALL: [RedirectFormat; 2] = [RedirectFormat::Netlify, RedirectFormat::Nginx];

    /// The name in `formats = […]`.
    pub fn key(self) -> &'static str {
        match self {
            RedirectFormat::Netlify => "netlify",
            RedirectFormat::Nginx => "nginx",
        }
    }

    /// The file's path in the output.
    pub fn file(self) -> &'static str {
        match self {
            RedirectFormat::Netlify => "_redirects",
            RedirectFormat::Nginx => "redirects.nginx.conf",
        }
    }
}

/// `[redirects]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRedirects {
    formats: Option<Vec<Spanned<String>>>,
}

impl RawRedirects {
    /// The formats to write (every one unless `formats` says otherwise), each once, in
    /// [`RedirectFormat::ALL`] order; an unknown name is an error where it is written.
    pub(super) fn validate(self, text: &str) -> (Vec<RedirectFormat>, Vec<Diagnostic>) {
        let Some(formats) = self.formats else {
            return (RedirectFormat::ALL.to_vec(), Vec::new());
        };
        let mut chosen = Vec::new();
        let mut diagnostics = Vec::new();
        let keys = RedirectFormat::ALL.map(RedirectFormat::key);
        for name in formats {
            match RedirectFormat::ALL
                .into_iter()
                .find(|f| f.key() == name.get_ref())
            {
                Some(format) => chosen.push(format),
                None => {
                    let (line, column) = crate::diagnostic::line_col(text, name.span().start);
                    let hint = match crate::diagnostic::nearest(name.get_ref(), keys) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "the formats are `netlify` (also Cloudflare Pages) and `nginx`; \
                                 `[]` writes none"
                            .to_owned(),
                    };
                    diagnostics.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            line,
                            column,
                            format!("unknown redirect format `{}`", name.get_ref()),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
        chosen.sort();
        chosen.dedup();
        (chosen, diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, RedirectFormat};

    const HEAD: &str = "title = \"KB\"\nbase_url = \"https://x.org/\"\n";

    #[test]
    fn every_format_is_written_unless_formats_says_otherwise() {
        let parse = |extra: &str| Config::parse(&format!("{HEAD}{extra}")).map(|c| c.redirects);
        assert_eq!(parse(""), Ok(RedirectFormat::ALL.to_vec()));
        assert_eq!(parse("[redirects]\nformats = []\n"), Ok(Vec::new()));
        assert_eq!(
            parse("[redirects]\nformats = [\"nginx\", \"nginx\"]\n"),
            Ok(vec![RedirectFormat::Nginx])
        );
    }

    #[test]
    fn an_unknown_format_is_an_error_with_the_nearest_name() {
        let errors = Config::parse(&format!("{HEAD}[redirects]\nformats = [\"netlfy\"]\n"))
            .err()
            .unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (4, 12));
        assert_eq!(errors[0].message, "unknown redirect format `netlfy`");
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `netlify`?"));
    }
}
