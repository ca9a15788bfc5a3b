//! The theme: Tera templates and static assets, built in and overridable per site.

use std::collections::BTreeMap;
use std::path::Path;

use rust_embed::RustEmbed;
use std::sync::{Arc, RwLock};

use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;

/// The default theme, compiled into the binary from the repository's `templates/`.
#[derive(RustEmbed)]
#[folder = "templates/"]
struct BuiltIn;

/// The folder of a site that overrides built-in templates and assets.
pub const TEMPLATES_DIR: &str = "templates";
const ASSETS_PREFIX: &str = "assets/";

/// Compiled templates plus the static files to copy into `assets/`.
pub struct Theme {
    tera: Tera,
    /// Asset path under `assets/` → bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Template name → digest of its source and of every template it names.
    digests: BTreeMap<String, u64>,
    /// What `asset_url` puts before an asset's path; set by [`Theme::set_asset_base`].
    asset_base: Arc<RwLock<String>>,
}

impl Theme {
    /// Loads the built-in theme, then the site's `templates/` files over it.
    pub fn load(root: &Path) -> Result<Theme, Vec<Diagnostic>> {
        let mut files: BTreeMap<String, Vec<u8>> = BuiltIn::iter()
            .filter_map(|name| {
                BuiltIn::get(&name).map(|file| (name.into_owned(), file.data.into_owned()))
            })
            .collect();
        let mut diagnostics = Vec::new();
        let site_dir = root.join(TEMPLATES_DIR);
        if site_dir.is_dir() {
            for entry in walkdir::WalkDir::new(&site_dir)
                .follow_links(false)
                .sort_by_file_name()
            {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(err) => {
                        diagnostics.push(Diagnostic::site_error(format!(
                            "cannot read the site's templates: {err}"
                        )));
                        continue;
                    }
                };
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(rel) = entry.path().strip_prefix(&site_dir) else {
                    continue;
                };
                let name = rel.to_string_lossy().replace('\\', "/");
                if name.split('/').any(|part| part.starts_with('.')) {
                    continue;
                }
                match std::fs::read(entry.path()) {
                    Ok(bytes) => {
                        files.insert(name, bytes);
                    }
                    Err(err) => diagnostics.push(Diagnostic::error(
                        Path::new(TEMPLATES_DIR).join(rel),
                        0,
                        0,
                        format!("cannot read the template: {err}"),
                    )),
                }
            }
        }
        let mut tera = Tera::new();
        tera.set_escape_fn(escape_html);
        tera.register_filter("safe", mark_safe);
        // Registered before the templates compile (Tera checks that functions exist).
        let asset_base = Arc::new(RwLock::new(String::from("/assets/")));
        let base = Arc::clone(&asset_base);
        tera.register_function(
            "asset_url",
            move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
                let path: &str = kwargs.must_get("path")?;
                let base = base.read().unwrap_or_else(|e| e.into_inner());
                Ok(format!("{base}{}", path.trim_start_matches('/')))
            },
        );
        let mut assets = BTreeMap::new();
        let mut templates = Vec::new();
        for (name, bytes) in files {
            if let Some(asset) = name.strip_prefix(ASSETS_PREFIX) {
                assets.insert(asset.to_owned(), bytes);
            } else if name.ends_with(".html") || name.ends_with(".xml") {
                match String::from_utf8(bytes) {
                    Ok(text) => templates.push((name, text)),
                    Err(_) => diagnostics.push(Diagnostic::error(
                        Path::new(TEMPLATES_DIR).join(&name),
                        0,
                        0,
                        "the template is not valid UTF-8",
                    )),
                }
            }
        }
        let digests = digests(&templates);
        if let Err(err) = tera.add_raw_templates(templates) {
            diagnostics.push(
                Diagnostic::site_error(format!(
                    "a template does not compile: {}",
                    error_chain(&err)
                ))
                .with_hint(
                    "fix the template named in the message (in the site's templates/ folder)",
                ),
            );
        }
        if diagnostics.is_empty() {
            Ok(Theme {
                tera,
                assets,
                digests,
                asset_base,
            })
        } else {
            Err(diagnostics)
        }
    }

    /// A digest of everything that renders with `template`: its source and the sources of
    /// the templates it extends, includes or imports, directly or not. Two themes whose
    /// digests agree render that template the same way.
    pub fn digest(&self, template: &str) -> u64 {
        self.digests.get(template).copied().unwrap_or_default()
    }

    /// Sets a value every template sees (e.g. `site`).
    pub fn set_global(&mut self, key: &'static str, value: &impl serde::Serialize) {
        self.tera.global_context().insert(key, value);
    }

    /// Defines `asset_url(path="icons.svg")`, the address of a theme asset under the site's
    /// base path. Unlike `site`, functions are seen inside components too, whose context
    /// holds only their arguments.
    pub fn set_asset_base(&mut self, base_path: &str) {
        *self.asset_base.write().unwrap_or_else(|e| e.into_inner()) = format!("{base_path}assets/");
    }

    /// Renders the component `name` with `arguments`, as a template calling it would; `None`
    /// when the theme has no such component.
    pub fn render_component(
        &self,
        name: &str,
        arguments: &Context,
    ) -> Option<Result<String, Diagnostic>> {
        if !self.tera.contains_component(name) {
            return None;
        }
        Some(
            self.tera
                .render_component(name, arguments, None, true)
                .map_err(|err| {
                    Diagnostic::site_error(format!(
                        "component `{name}` failed to render: {}",
                        error_chain(&err)
                    ))
                }),
        )
    }

    /// Renders one template.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|err| {
            Diagnostic::site_error(format!(
                "template `{template}` failed to render: {}",
                error_chain(&err)
            ))
        })
    }
}

/// Digests every template with the templates it may use. Which templates one uses is found
/// by looking for their names in its source, which can only find too many, never too few.
fn digests(templates: &[(String, String)]) -> BTreeMap<String, u64> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let uses = |source: &str| -> Vec<usize> {
        templates
            .iter()
            .enumerate()
            .filter(|(_, (name, _))| source.contains(name.as_str()))
            .map(|(i, _)| i)
            .collect()
    };
    let direct: Vec<Vec<usize>> = templates.iter().map(|(_, source)| uses(source)).collect();
    templates
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let mut closure = std::collections::BTreeSet::from([i]);
            let mut todo = vec![i];
            while let Some(t) = todo.pop() {
                for &used in &direct[t] {
                    if closure.insert(used) {
                        todo.push(used);
                    }
                }
            }
            let mut hasher = DefaultHasher::new();
            for t in closure {
                templates[t].hash(&mut hasher);
            }
            (name.clone(), hasher.finish())
        })
        .collect()
}

/// Tera's own HTML escaping, byte for byte (`&`, `<`, `>`, `"` and `'`), but writing the
/// text between special characters in one piece instead of one byte at a time: escaping
/// is most of what rendering a page's text costs.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// Tera's `safe` filter without its copy: a string keeps its (shared) text and is only
/// marked safe. Pages print drawn cards and article bodies through it, kilobytes each.
fn mark_safe(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if value.as_str().is_some() {
        value.clone().mark_safe()
    } else {
        tera::Value::safe_string(&value.to_string())
    }
}

/// Tera errors nest their causes; the innermost one says what is actually wrong.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(inner) = source {
        parts.push(inner.to_string());
        source = inner.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn escaped(escape: tera::EscapeFn, text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        escape(text, &mut out).unwrap_or_else(|e| panic!("{e}"));
        out
    }

    proptest! {
        #[test]
        fn escaping_writes_exactly_what_teras_own_does(text in "(\\PC|[&<>\"'])*") {
            prop_assert_eq!(escaped(escape_html, &text), escaped(tera::escape_html, &text));
        }
    }

    /// `{{ v | safe }}` and friends through Tera's own filter and through `mark_safe`.
    fn through_safe(own: bool, value: &tera::Value) -> String {
        let mut tera = Tera::new();
        if own {
            tera.register_filter("safe", mark_safe);
        }
        let template = "{{ v | safe }}|{{ v | safe | upper }}|{{ v | safe | length }}|\
                        {% if v | safe == v %}same{% endif %}|{{ [v | safe] }}";
        // An `.html` name: autoescaping is on, as for every page.
        tera.add_raw_template("t.html", template)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut context = Context::new();
        context.insert("v", value);
        tera.render("t.html", &context)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    proptest! {
        #[test]
        fn marking_safe_renders_like_teras_own_filter(text in "(\\PC|[&<>\"'])*") {
            for value in [tera::Value::from(text.as_str()), tera::Value::safe_string(&text)] {
                prop_assert_eq!(through_safe(true, &value), through_safe(false, &value));
            }
        }
    }

    #[test]
    fn marking_safe_renders_other_values_like_teras_own_filter() {
        let values = [
            tera::Value::from(42),
            tera::Value::from(1.5),
            tera::Value::from(true),
            tera::Value::from(vec![tera::Value::from("<a>"), tera::Value::from(1)]),
            tera::Value::from_serializable(&BTreeMap::from([("k", "<v & w>")])),
            tera::Value::from("x".repeat(100) + "<b>"),
        ];
        for value in &values {
            assert_eq!(
                through_safe(true, value),
                through_safe(false, value),
                "{value:?}"
            );
        }
        assert!(through_safe(true, &values[5]).starts_with(&"x".repeat(100)));
    }

    #[test]
    fn escaping_covers_every_special_character() {
        assert_eq!(
            escaped(escape_html, "a&b<c>d\"e'f"),
            b"a&amp;b&lt;c&gt;d&quot;e&#39;f"
        );
    }
}
