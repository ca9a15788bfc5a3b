//! The checks of authored guides: each problem a writer can make, with its exact
//! diagnostic at the file, line and column of the answer or question.

use crate::guides::{GUIDE, guide_site};
use crate::support::{fixbook, stderr};

/// `fixbook check` on a site with `guide`: the exit code and what it printed.
fn check(guide: &str) -> (i32, String) {
    let site = guide_site(Some(guide));
    let output = fixbook(&["--root", &site.path().to_string_lossy(), "check"]);
    (output.status.code().unwrap_or(-1), stderr(&output))
}

/// `GUIDE` with `from` replaced by `to`.
fn guide_with(from: &str, to: &str) -> String {
    assert!(GUIDE.contains(from), "the guide has no {from:?}");
    GUIDE.replacen(from, to, 1)
}

#[test]
fn a_valid_guide_checks_clean() {
    let (code, err) = check(GUIDE);
    assert_eq!(
        (code, err.as_str()),
        (
            0,
            "checked 2 articles, 3 fixes, 1 status messages and 1 guide: no errors\n"
        )
    );
}

#[test]
fn an_unknown_target_is_located_with_a_did_you_mean() {
    let cases = [
        (
            "question: cable",
            "question: cabel",
            "error: unknown question `cabel`\n  --> content/guides/printer-trouble.md:9:19\n  = help: did you mean `cable`?\n\nwarning: the question `cable` is never asked: no answer leads to it\n  --> content/guides/printer-trouble.md:14:9\n  = help: point an answer at it with `question: cable`, or remove it\n",
        ),
        (
            "article: printer-offline",
            "article: printer-ofline",
            "error: unknown article `printer-ofline`\n  --> content/guides/printer-trouble.md:21:18\n  = help: did you mean `printer-offline`?\n",
        ),
        (
            "fix: check-cable",
            "fix: check-cabel",
            "error: unknown fix `check-cabel`\n  --> content/guides/printer-trouble.md:19:14\n  = help: did you mean `check-cable`?\n",
        ),
        (
            "status: offline",
            "status: ofline",
            "error: unknown status message `ofline`\n  --> content/guides/printer-trouble.md:11:17\n  = help: did you mean `offline`?\n",
        ),
        (
            "fix: check-cable",
            "fix: replace-toner",
            "error: unknown fix `replace-toner`\n  --> content/guides/printer-trouble.md:19:14\n  = help: create content/fixes/replace-toner.md or point the answer elsewhere\n",
        ),
    ];
    for (from, to, expected) in cases {
        let (code, err) = check(&guide_with(from, to));
        assert_eq!(code, 1, "{to}: {err}");
        let warnings = expected.matches("warning: ").count();
        assert_eq!(
            err,
            format!("{expected}\nfailed: 1 error(s), {warnings} warning(s)\n")
        );
    }
}

#[test]
fn an_answer_that_leads_back_is_a_cycle_at_that_answer() {
    let (code, err) = check(&guide_with(
        "      - answer: Nothing works\n        get_help: true",
        "      - answer: Nothing works\n        question: start",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: this answer of `cable` leads back to the question `start`: readers would go round in circles\n  --> content/guides/printer-trouble.md:25:19\n  = help: send it to another question, an article, a fix, a status message or `get_help: true`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn a_question_no_answer_leads_to_is_a_warning() {
    let guide = format!(
        "{}  - id: toner\n    ask: Is the toner low?\n    answers:\n      - answer: Yes\n        get_help: true\n---\n",
        GUIDE.strip_suffix("---\n").unwrap_or(GUIDE)
    );
    let (code, err) = check(&guide);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "warning: the question `toner` is never asked: no answer leads to it\n  --> content/guides/printer-trouble.md:26:9\n  = help: point an answer at it with `question: toner`, or remove it\n\nchecked 2 articles, 3 fixes, 1 status messages and 1 guide: no errors\n"
    );
}

#[test]
fn every_path_ends_somewhere() {
    let (code, err) = check(&guide_with(
        "      - answer: Something else\n        get_help: true\n",
        "      - answer: Something else\n",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the answer “Something else” leads nowhere\n  --> content/guides/printer-trouble.md:12:17\n  = help: add one of `question:`, `article:`, `fix:`, `status:` or `get_help: true`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
    let (code, err) = check(&guide_with(
        "    hint: Look at both ends.\n    answers:\n      - answer: I am not sure\n        fix: check-cable\n      - answer: Yes, and it is still offline\n        article: printer-offline\n      - answer: It has no cable\n        article: printer-basics\n      - answer: Nothing works\n        get_help: true\n",
        "    answers: []\n",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the question `cable` has no answers: a reader who gets here is stuck\n  --> content/guides/printer-trouble.md:16:14\n  = help: add `answers:`, each with `answer:` and where it leads\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn the_answers_of_a_question_are_distinct_and_lead_to_one_place() {
    let (code, err) = check(&guide_with(
        "answer: It has no cable",
        "answer: i am  NOT sure",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the question `cable` offers the answer “i am  NOT sure” twice\n  --> content/guides/printer-trouble.md:22:17\n  = help: readers cannot tell them apart: reword one or remove it\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
    let (code, err) = check(&guide_with(
        "        fix: check-cable\n",
        "        fix: check-cable\n        article: printer-offline\n",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the answer “I am not sure” leads to two places\n  --> content/guides/printer-trouble.md:20:18\n  = help: keep one of `question:`, `article:`, `fix:`, `status:` and `get_help:`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn question_ids_are_unique_ids() {
    let (code, err) = check(&guide_with("  - id: cable\n", "  - id: start\n"));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: unknown question `cable`\n  --> content/guides/printer-trouble.md:9:19\n  = help: add a question with `id: cable` or point the answer elsewhere\n\nerror: duplicate question id `start`\n  --> content/guides/printer-trouble.md:14:9\n  = help: line 5 has the same id; give each question its own\n\nfailed: 2 error(s), 0 warning(s)\n"
    );
    let (code, err) = check(&guide_with("  - id: start\n", "  - id: Start Here\n"));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: `Start Here` is not a valid question id\n  --> content/guides/printer-trouble.md:5:9\n  = help: ids name the question's anchor: use lowercase letters, digits and dashes, e.g. `start-here`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn a_guide_without_questions_or_with_a_typo_in_a_key_is_refused() {
    let (code, err) = check("---\ntitle: Empty\n---\n");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the guide has no questions\n  --> content/guides/printer-trouble.md:1:1\n  = help: add `questions:` with at least one question and its `answers:`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
    let (code, err) = check(&guide_with(
        "        status: offline",
        "        staus: offline",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: unknown front-matter key `staus`\n  --> content/guides/printer-trouble.md:11:9\n  = help: did you mean `status`?\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn a_guide_with_too_many_ways_through_it_is_refused() {
    // Twelve questions, each answered two ways that both lead to the next: 2^12 ways.
    let mut guide = String::from("---\ntitle: Many ways\nquestions:\n");
    for i in 0..12 {
        guide.push_str(&format!(
            "  - id: q{i}\n    ask: Question {i}?\n    answers:\n"
        ));
        for answer in ["Yes", "No"] {
            if i < 11 {
                guide.push_str(&format!(
                    "      - answer: {answer}\n        question: q{}\n",
                    i + 1
                ));
            } else {
                guide.push_str(&format!(
                    "      - answer: {answer}\n        get_help: true\n"
                ));
            }
        }
    }
    guide.push_str("---\n");
    let (code, err) = check(&guide);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the guide has more than 1000 ways through it\n  --> content/guides/printer-trouble.md:4:9\n  = help: split it into several guides, or send more answers straight to articles\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}
