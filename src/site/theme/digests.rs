//! Template digests, for incremental rebuilds: what a page's template is made of.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use super::BUILTIN_PREFIX;

/// Digests every template, by the name pages ask for (`article.html`), with the templates
/// it may use: the one rendered for that name (the site's, else the built-in one), the
/// templates whose names appear in its source, directly or not (both layers' files of
/// that name), and every template that defines components, since any template may call
/// any component. Looking for names in sources can only find too many, never too few.
pub(super) fn digests(templates: &[(String, String)]) -> BTreeMap<String, u64> {
    let logical =
        |name: &str| -> String { name.strip_prefix(BUILTIN_PREFIX).unwrap_or(name).to_owned() };
    let components: Vec<usize> = templates
        .iter()
        .enumerate()
        .filter(|(_, (_, source))| source.contains("endcomponent"))
        .map(|(i, _)| i)
        .collect();
    let uses = |source: &str| -> Vec<usize> {
        templates
            .iter()
            .enumerate()
            .filter(|(_, (name, _))| source.contains(logical(name).as_str()))
            .map(|(i, _)| i)
            .chain(components.iter().copied())
            .collect()
    };
    let direct: Vec<Vec<usize>> = templates.iter().map(|(_, source)| uses(source)).collect();
    // The template each name renders: a site's (unprefixed) wins over the built-in one.
    let mut rendered: BTreeMap<String, usize> = BTreeMap::new();
    for (i, (name, _)) in templates.iter().enumerate() {
        let site = !name.starts_with(BUILTIN_PREFIX);
        match rendered.entry(logical(name)) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(i);
            }
            std::collections::btree_map::Entry::Occupied(mut slot) if site => {
                slot.insert(i);
            }
            std::collections::btree_map::Entry::Occupied(_) => {}
        }
    }
    rendered
        .into_iter()
        .map(|(name, i)| {
            let mut closure = BTreeSet::from([i]);
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
            (name, hasher.finish())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(templates: &[(&str, &str)]) -> BTreeMap<String, u64> {
        let owned: Vec<(String, String)> = templates
            .iter()
            .map(|(n, s)| ((*n).to_owned(), (*s).to_owned()))
            .collect();
        digests(&owned)
    }

    #[test]
    fn a_site_template_replaces_the_built_in_one_in_the_digest() {
        let builtin = [("@builtin/page.html", "built-in")];
        let site = [("@builtin/page.html", "built-in"), ("page.html", "site")];
        assert_ne!(set(&builtin)["page.html"], set(&site)["page.html"]);
        assert_eq!(set(&site).len(), 1);
    }

    #[test]
    fn an_edited_component_changes_every_template_digest() {
        let before = [
            ("@builtin/page.html", "{{ <card /> }}"),
            ("@builtin/other.html", "no components used"),
            (
                "@builtin/partials/cards.html",
                "{% component card() %}a{% endcomponent card %}",
            ),
        ];
        let mut after = before;
        after[2].1 = "{% component card() %}b{% endcomponent card %}";
        let (before, after) = (set(&before), set(&after));
        assert_ne!(before["page.html"], after["page.html"]);
        assert_ne!(before["other.html"], after["other.html"]);
    }

    #[test]
    fn an_included_template_is_part_of_the_digest_through_either_layer() {
        let before = [
            (
                "@builtin/base.html",
                "{% include \"partials/footer.html\" %}",
            ),
            ("@builtin/partials/footer.html", "built-in footer"),
        ];
        let with_site = [
            before[0],
            before[1],
            ("partials/footer.html", "the site's footer"),
        ];
        assert_ne!(set(&before)["base.html"], set(&with_site)["base.html"]);
    }
}
