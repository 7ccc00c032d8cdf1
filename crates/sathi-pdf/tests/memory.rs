//! Memory of a long-running server that renders many summaries. Typst memoises its work in a
//! process-wide cache, and without eviction every summary added about 2 MB that was never freed.
//! This test runs in its own process, so no other test's allocations count.

use sathi_pdf::{CaseSummary, Item, Section, render_pdf};

/// Returns the resident set size of this process in kilobytes, from Linux's `/proc`.
fn resident_kilobytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status is readable");
    let line = status.lines().find(|line| line.starts_with("VmRSS:")).expect("the status has VmRSS");
    line.split_whitespace().nth(1).and_then(|value| value.parse().ok()).expect("VmRSS is a number")
}

/// A summary of five forms of twenty fields, different for each `index`.
fn summary(index: usize) -> CaseSummary {
    let section = |number: usize| Section {
        title: format!("Form {number}"),
        items: (0..20)
            .map(|field| Item::Field {
                label: format!("Field {field}"),
                value: format!("মান {index} {number} {field}"),
            })
            .collect(),
    };
    CaseSummary {
        language: "bn".to_owned(),
        digits: std::array::from_fn(|digit| digit.to_string()),
        agency: format!("Agency {index}"),
        title: "Case summary".to_owned(),
        display_id: format!("CXB-{index:06}"),
        child_name: Some(format!("ক্ষমা {index}")),
        risk: None,
        facts: Vec::new(),
        printed: format!("Printed {index}"),
        footer: "Confidential".to_owned(),
        page_label: "{page} / {pages}".to_owned(),
        empty: "Nothing".to_owned(),
        sections: (0..5).map(section).collect(),
    }
}

#[test]
fn rendering_keeps_memory_flat() {
    for index in 0..10 {
        render_pdf(&summary(index)).expect("the summary renders");
    }
    let warm = resident_kilobytes();
    for index in 10..60 {
        render_pdf(&summary(index)).expect("the summary renders");
    }
    let grown = resident_kilobytes().saturating_sub(warm);

    // Without eviction, 50 renders grew it by about 110 MB.
    assert!(grown < 30_000, "50 summaries grew the resident memory by {grown} kB");
}
