//! `fixbook init DIR --languages en,de`: the starter site in several languages, the first
//! one the default, with the starter pages translated where fixbook has a translation.

use std::path::PathBuf;

use super::ScaffoldError;
use crate::config::{CONFIG_FILE, is_language_code};

/// Makes the starter `files` a site in `languages` (the first is the default): the
/// configuration declares each one, and the starter pages get their translations.
pub(super) fn multilingual(
    files: &mut Vec<(PathBuf, String)>,
    languages: &[String],
) -> Result<(), ScaffoldError> {
    let Some(default) = languages.first() else {
        return Ok(());
    };
    for (i, code) in languages.iter().enumerate() {
        if !is_language_code(code) {
            return Err(ScaffoldError::BadLanguage { code: code.clone() });
        }
        if languages[..i].contains(code) {
            return Err(ScaffoldError::BadLanguage { code: code.clone() });
        }
    }
    let mut sections = String::from(
        "\n# The languages of the site: the default (`language` above) at the root, each other\n\
         # under /<code>/. A page is translated by a file beside it with the code before `.md`\n\
         # (content/status/waiting-to-sync.de.md); untranslated pages show the default language.\n",
    );
    for code in languages {
        sections.push_str(&format!(
            "[languages.{code}]\nlabel = \"{}\"\n",
            language_name(code)
        ));
    }
    for (path, text) in files.iter_mut() {
        if path.as_os_str() == CONFIG_FILE {
            *text = text.replacen("language = \"en\"", &format!("language = \"{default}\""), 1);
            text.push_str(&sections);
        }
    }
    // The starter pages are written in English; in German too. The default language's
    // files are the originals, the others' their translations.
    let originals: Vec<(PathBuf, String)> = files
        .iter()
        .filter(|(path, _)| path.starts_with("content"))
        .cloned()
        .collect();
    // The German article has the starter's date.
    let date = originals
        .iter()
        .find_map(|(_, text)| text.lines().find(|l| l.starts_with("date: ")))
        .unwrap_or("date: 2026-01-01")
        .to_owned();
    let german = GERMAN
        .iter()
        .map(|(p, t)| (PathBuf::from(p), t.replacen("date: 2026-01-01", &date, 1)));
    if default == "de" {
        // Originals have nothing to be verified against.
        files.retain(|(path, _)| !path.starts_with("content"));
        files.extend(german.map(|(p, t)| {
            let kept: Vec<&str> = t
                .lines()
                .filter(|l| !l.starts_with("unverified:"))
                .collect();
            (p, kept.join("\n") + "\n")
        }));
        if languages.iter().any(|c| c == "en") {
            files.extend(
                originals
                    .into_iter()
                    .map(|(p, t)| (translation(&p, "en"), t)),
            );
        }
    } else if languages.iter().any(|c| c == "de") {
        files.extend(german.map(|(p, t)| (translation(&p, "de"), t)));
    }
    Ok(())
}

/// `content/x/slug.md` → `content/x/slug.<code>.md`.
fn translation(path: &std::path::Path, code: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}.{code}.md"))
}

/// A language's name in itself, from the theme's word files; the code when it has none.
fn language_name(code: &str) -> String {
    crate::site::theme::builtin_file(&format!("i18n/{code}.toml"))
        .and_then(|bytes| {
            let text = String::from_utf8(bytes).ok()?;
            let table: std::collections::BTreeMap<String, String> = toml::from_str(&text).ok()?;
            table.get("language_name").cloned()
        })
        .unwrap_or_else(|| code.to_owned())
}

/// The starter pages in German (same names and ids, the structure unchanged).
const GERMAN: &[(&str, &str)] = &[
    (
        "content/articles/changes-do-not-sync.md",
        r#"---
title: Änderungen auf einem Gerät erscheinen nicht auf den anderen
description: Sie haben auf einem Gerät etwas geändert, und die anderen Geräte zeigen noch die alte Fassung.
date: 2026-01-01
platforms: [windows, mac, iphone, android]
tags: [sync]
symptoms:
  - Eine Änderung auf dem Telefon erscheint nie auf dem Computer
  - Die App meldet, dass sie auf die Synchronisierung wartet
status_messages: [waiting-to-sync]
fixes: [check-connection]
get_help:
  when: Wenn Änderungen eine Stunde nach allen Lösungen noch nicht synchronisiert sind, wenden Sie sich an den Support.
  prepare:
    - Die App-Version auf jedem Gerät
    - Die genaue Meldung, die die App anzeigt
---

Jedes Gerät sendet seine Änderungen an den Server und holt die der anderen ab. Erreicht ein
Gerät den Server nicht, warten seine Änderungen auf diesem Gerät, und die anderen sehen sie nie.

## Warum das passiert

Meist ist das Gerät offline oder in einem Netzwerk, das die App blockiert. Seltener wurde die
App geschlossen, bevor sie alles gesendet hatte.
"#,
    ),
    (
        "content/fixes/check-connection.md",
        r#"---
title: Die Internetverbindung prüfen
description: Prüfen Sie, ob das Gerät das Internet erreicht, und lassen Sie die App dann synchronisieren.
risk: low
duration: 2 Min.
platforms: [windows, mac, iphone, android]
---

Öffnen Sie auf dem Gerät eine beliebige Website. Lädt sie nicht, verbinden Sie sich zuerst mit einem anderen Netzwerk.

::: platform windows mac
1. Öffnen Sie eine Website im Browser.
2. Lädt sie nicht, wählen Sie in der Menüleiste oder Taskleiste ein anderes WLAN.
:::

::: platform iphone android
1. Schalten Sie den Flugmodus ein, warten Sie zehn Sekunden und schalten Sie ihn wieder aus.
2. Öffnen Sie zur Kontrolle eine Website im Browser.
:::

Öffnen Sie dann die App und lassen Sie sie eine Minute lang geöffnet.
"#,
    ),
    (
        "content/status/waiting-to-sync.md",
        r#"---
message: Warten auf Synchronisierung
aliases: ["Wartet auf Synchronisierung"]
meaning: Die App hat Änderungen zu senden, erreicht den Server aber noch nicht.
severity: warning
platforms: [windows, mac, iphone, android]
fixes: [check-connection]
unverified: "Ein Beispiel: der Wortlaut Ihrer App kann anders sein"
---

Erscheint unten im Hauptfenster der App, solange Änderungen auf das Senden warten.
"#,
    ),
];
