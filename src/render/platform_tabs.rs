//! Per-platform steps: `::: platform KEY…` containers in a body, shown as tabs.

use crate::content::Located;

/// A run of the body: either shown to everyone, or a group of per-platform panels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Markdown shown for every platform, starting on `line` of the body (0-based).
    Common { text: &'a str, line: usize },
    /// Consecutive platform containers, shown as one set of tabs.
    Tabs(Vec<Panel<'a>>),
}

/// One `::: platform …` container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panel<'a> {
    /// The platform keys, located in the body (0-based line, 1-based column).
    pub platforms: Vec<Located<String>>,
    /// The Markdown inside the container.
    pub text: &'a str,
    /// 0-based body line on which `text` starts.
    pub line: usize,
}

/// A problem with the container syntax, at a 0-based body line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 0-based body line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

const OPEN: &str = ":::";

/// Splits a body into common Markdown and platform tab groups.
///
/// Container lines inside fenced code blocks are left alone, so documentation about the
/// syntax itself can show it.
pub fn segments(body: &str) -> Result<Vec<Segment<'_>>, SyntaxError> {
    let mut segments = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut common_start = (0usize, 0usize);
    // (platforms, byte start of the text, first line, joins the previous tab group)
    let mut open: Option<(Vec<Located<String>>, usize, usize, bool)> = None;
    let mut offset = 0;
    for (index, raw) in body.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if let Some((ch, len)) = fence {
            let run = trimmed.chars().take_while(|c| *c == ch).count();
            if run >= len && trimmed[run * ch.len_utf8()..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if let Some(ch) = ['`', '~'].into_iter().find(|c| trimmed.starts_with(*c)) {
            let run = trimmed.chars().take_while(|c| *c == ch).count();
            if run >= 3 {
                fence = Some((ch, run));
                continue;
            }
        }
        let Some(rest) = trimmed.strip_prefix(OPEN) else {
            continue;
        };
        let rest = rest.trim();
        let indent = line.len() - trimmed.len();
        match (&mut open, rest) {
            (None, "") => {
                return Err(SyntaxError {
                    line: index,
                    message: "`:::` closes a platform container that was never opened".to_owned(),
                    hint: "open it with `::: platform KEY` (e.g. `::: platform iphone ipad`), or remove the line".to_owned(),
                });
            }
            (None, spec) => {
                let Some(keys) = spec
                    .strip_prefix("platform")
                    .filter(|k| k.starts_with([' ', '\t']))
                else {
                    return Err(SyntaxError {
                        line: index,
                        message: format!("unknown container `::: {spec}`"),
                        hint: "the only container is `::: platform KEY [KEY…]`".to_owned(),
                    });
                };
                let keys_at =
                    indent + OPEN.len() + (rest.len() - spec.len()) + (spec.len() - keys.len());
                let platforms = located_words(keys, index, line, keys_at);
                if platforms.is_empty() {
                    return Err(SyntaxError {
                        line: index,
                        message: "`::: platform` names no platform".to_owned(),
                        hint: "list the platform keys, e.g. `::: platform iphone ipad`".to_owned(),
                    });
                }
                let common = &body[common_start.0..line_start];
                // Only blank lines since the previous container: the same tab group.
                let joins =
                    common.trim().is_empty() && matches!(segments.last(), Some(Segment::Tabs(_)));
                if !common.trim().is_empty() {
                    segments.push(Segment::Common {
                        text: common,
                        line: common_start.1,
                    });
                }
                open = Some((platforms, offset, index + 1, joins));
            }
            (Some(_), "") => {
                if let Some((platforms, start, first_line, joins)) = open.take() {
                    let panel = Panel {
                        platforms,
                        text: &body[start..line_start],
                        line: first_line,
                    };
                    match segments.last_mut() {
                        Some(Segment::Tabs(panels)) if joins => panels.push(panel),
                        _ => segments.push(Segment::Tabs(vec![panel])),
                    }
                }
                common_start = (offset, index + 1);
            }
            (Some(_), _) => {
                return Err(SyntaxError {
                    line: index,
                    message: "platform containers cannot be nested".to_owned(),
                    hint: "close the previous container with a `:::` line first".to_owned(),
                });
            }
        }
    }
    if let Some((_, _, first_line, _)) = open {
        return Err(SyntaxError {
            line: first_line - 1,
            message: "this platform container is never closed".to_owned(),
            hint: "add a line with just `:::` after its steps".to_owned(),
        });
    }
    let common = &body[common_start.0..];
    if !common.trim().is_empty() {
        segments.push(Segment::Common {
            text: common,
            line: common_start.1,
        });
    }
    Ok(segments)
}

fn located_words(
    words: &str,
    line: usize,
    full_line: &str,
    byte_start: usize,
) -> Vec<Located<String>> {
    let mut out = Vec::new();
    let mut search_from = byte_start;
    for word in words.split_whitespace() {
        let Some(found) = full_line[search_from..].find(word) else {
            continue;
        };
        let at = search_from + found;
        out.push(Located {
            value: word.to_owned(),
            line,
            column: full_line[..at].chars().count() + 1,
        });
        search_from = at + word.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(panel: &Panel<'_>) -> Vec<String> {
        panel.platforms.iter().map(|p| p.value.clone()).collect()
    }

    #[test]
    fn consecutive_containers_form_one_tab_group() {
        let body = "Intro.\n\n::: platform iphone ipad\n1. Tap.\n:::\n\n::: platform mac\n1. Click.\n:::\nOutro.\n";
        let segments = segments(body).unwrap_or_default();
        assert_eq!(segments.len(), 3, "{segments:?}");
        assert_eq!(
            segments[0],
            Segment::Common {
                text: "Intro.\n\n",
                line: 0
            }
        );
        let Segment::Tabs(panels) = &segments[1] else {
            panic!("{segments:?}")
        };
        assert_eq!(panels.len(), 2);
        assert_eq!(keys(&panels[0]), ["iphone", "ipad"]);
        assert_eq!((panels[0].text, panels[0].line), ("1. Tap.\n", 3));
        assert_eq!(panels[0].platforms[1].column, 21);
        assert_eq!(keys(&panels[1]), ["mac"]);
        assert_eq!(
            segments[2],
            Segment::Common {
                text: "Outro.\n",
                line: 9
            }
        );
    }

    #[test]
    fn text_between_containers_splits_groups() {
        let body = "::: platform mac\nA\n:::\nBetween.\n::: platform windows\nB\n:::\n";
        let segments = segments(body).unwrap_or_default();
        assert!(
            matches!(
                segments.as_slice(),
                [Segment::Tabs(_), Segment::Common { .. }, Segment::Tabs(_)]
            ),
            "{segments:?}"
        );
    }

    #[test]
    fn containers_inside_code_fences_are_text() {
        let body = "```md\n::: platform mac\n```\n";
        assert_eq!(
            segments(body),
            Ok(vec![Segment::Common {
                text: body,
                line: 0
            }])
        );
    }

    #[test]
    fn unclosed_and_stray_markers_are_located_errors() {
        assert_eq!(
            segments("x\n::: platform mac\nA\n").map_err(|e| e.line),
            Err(1)
        );
        assert_eq!(segments("x\n:::\n").map_err(|e| e.line), Err(1));
        assert!(segments("::: tip\n").is_err());
        assert!(segments("::: platform\n:::\n").is_err());
    }
}
