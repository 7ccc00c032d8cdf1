//! Bangla in the printed case summary: shaping checked on the laid-out glyphs, and the PDF file
//! checked for its embedded fonts and for text that copies back out as typed.

mod pdf_text;

use sathi_pdf::PagedDocument;
use sathi_pdf::{CaseSummary, Fact, Item, Risk, Section, layout, render_pdf};
use typst::layout::{Frame, FrameItem};
use typst::text::TextItem;

/// Names that need Bengali shaping: the conjuncts ক্ষ, ন্ত, ক্ত, জ্ঞ and ষ্ণ, the ra-phala of শ্র and
/// প্র, the vowel sign ৃ below ক, and the pre-base vowel sign ি.
const NAMES: [&str; 6] = ["ক্ষমা", "শ্রাবন্তী", "রুমানা আক্তার", "প্রজ্ঞা", "কৃষ্ণ", "মিতু"];

fn summary(language: &str) -> CaseSummary {
    let bangla = language == "bn";
    let digits = if bangla { "০১২৩৪৫৬৭৮৯" } else { "0123456789" };
    let field = |label: &str, value: &str| Item::Field { label: label.to_owned(), value: value.to_owned() };
    CaseSummary {
        language: language.to_owned(),
        digits: std::array::from_fn(|digit| digits.chars().nth(digit).expect("ten digits").to_string()),
        agency: "Light of Life Initiative".to_owned(),
        title: if bangla { "কেস সারসংক্ষেপ" } else { "Case summary" }.to_owned(),
        display_id: "CXB-4F7K2M".to_owned(),
        child_name: Some("ক্ষমা আক্তার".to_owned()),
        risk: Some(Risk {
            level: "high".to_owned(), label: "ঝুঁকির মাত্রা: উচ্চ".to_owned()
        }),
        facts: vec![Fact { label: "অবস্থা".to_owned(), value: "চলমান".to_owned() }],
        printed: "প্রিন্ট করেছেন রহিমা বেগম, ৫ ডিসেম্বর ২০২৬, ১০:১৫ (Asia/Dhaka)".to_owned(),
        footer: "গোপনীয়: শিশুর ব্যক্তিগত তথ্য।".to_owned(),
        page_label: "পৃষ্ঠা {page} / {pages}".to_owned(),
        empty: "কিছু নেই".to_owned(),
        sections: vec![
            Section {
                title: "মৌলিক পরিচিতি".to_owned(),
                items: vec![
                    field("নামের প্রথম অংশ", NAMES[0]),
                    field("ডাক নাম", NAMES[5]),
                    Item::Heading { text: "পরিচয়পত্র".to_owned() },
                    field("Other spellings", "Kshama Akter"),
                ],
            },
            Section {
                title: "পরিবারের বিবরণ".to_owned(),
                items: vec![Item::Table {
                    label: "পরিবারের সদস্য".to_owned(),
                    columns: vec!["নাম".to_owned(), "সম্পর্ক".to_owned()],
                    rows: NAMES[1..5].iter().map(|name| vec![(*name).to_owned(), "বোন".to_owned()]).collect(),
                }],
            },
        ],
    }
}

/// Returns every text item of the document's pages, groups included.
fn text_items(document: &PagedDocument) -> Vec<TextItem> {
    fn walk(frame: &Frame, found: &mut Vec<TextItem>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, found),
                FrameItem::Text(text) => found.push(text.clone()),
                _ => {}
            }
        }
    }
    let mut found = Vec::new();
    for page in document.pages() {
        walk(&page.frame, &mut found);
    }
    found
}

/// Returns the text item that contains `word`, and the byte offset of `word` in it.
fn item_with(document: &PagedDocument, word: &str) -> (TextItem, usize) {
    text_items(document)
        .into_iter()
        .find_map(|item| item.text.find(word).map(|offset| (item.clone(), offset)))
        .unwrap_or_else(|| panic!("no laid-out text contains {word}"))
}

/// Returns the glyph id of `c` in the font of `item`.
fn glyph_of(item: &TextItem, c: char) -> u16 {
    item.font.ttf().glyph_index(c).unwrap_or_else(|| panic!("the font has no glyph for {c}")).0
}

#[test]
fn ksha_is_one_conjunct_glyph() {
    let document = layout(&summary("bn")).expect("the summary lays out");
    let (item, offset) = item_with(&document, "ক্ষমা");
    let cluster = offset..offset + "ক্ষ".len();
    let glyphs: Vec<u16> = item
        .glyphs
        .iter()
        .filter(|glyph| usize::from(glyph.range.start) == cluster.start)
        .map(|glyph| glyph.id)
        .collect();

    assert_eq!(glyphs.len(), 1, "ক্ষ is drawn with {} glyphs: {glyphs:?}", glyphs.len());
    assert_ne!(glyphs[0], glyph_of(&item, 'ক'), "ক্ষ is drawn as ক");
    assert_ne!(glyphs[0], glyph_of(&item, 'ষ'), "ক্ষ is drawn as ষ");
    assert_ne!(glyphs[0], glyph_of(&item, '\u{09CD}'), "ক্ষ is drawn as a visible hasanta");
}

#[test]
fn i_sign_is_drawn_before_ma() {
    let document = layout(&summary("bn")).expect("the summary lays out");
    let (item, offset) = item_with(&document, "মিতু");
    let ma = glyph_of(&item, 'ম');
    let mut x = 0.0;
    let mut positions = Vec::new();
    for glyph in &item.glyphs {
        if usize::from(glyph.range.start) == offset {
            positions.push((glyph.id, x + glyph.x_offset.get()));
        }
        x += glyph.x_advance.get();
    }

    assert_eq!(positions.len(), 2, "মি is drawn with {} glyphs: {positions:?}", positions.len());
    let (first, first_x) = positions[0];
    let (second, second_x) = positions[1];
    assert_ne!(first, ma, "ম is drawn first, before its vowel sign");
    assert_eq!(second, ma, "the second glyph of মি is not ম");
    assert!(first_x < second_x, "the vowel sign at {first_x} em is not left of ম at {second_x} em");
}

#[test]
fn bangla_and_latin_use_own_fonts() {
    let document = layout(&summary("bn")).expect("the summary lays out");
    let (bangla, _) = item_with(&document, "ক্ষমা");
    let (latin, _) = item_with(&document, "Kshama");

    assert_eq!(bangla.font.info().family, "Noto Sans Bengali");
    assert_eq!(latin.font.info().family, "Noto Sans");
}

#[test]
fn pdf_embeds_both_fonts() {
    let pdf = render_pdf(&summary("bn")).expect("the summary renders");
    let document = lopdf::Document::load_mem(&pdf).expect("the PDF parses");
    let mut embedded = Vec::new();
    for object in document.objects.values() {
        let Ok(dictionary) = object.as_dict() else { continue };
        let Ok(name) = dictionary.get(b"FontName").and_then(lopdf::Object::as_name) else { continue };
        let has_file = [&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|key| dictionary.has(key));
        if has_file {
            embedded.push(String::from_utf8_lossy(name).into_owned());
        }
    }

    assert!(pdf.starts_with(b"%PDF-"), "the file does not start with %PDF-");
    assert!(
        embedded.iter().any(|name| name.ends_with("+NotoSansBengali-Regular")),
        "Noto Sans Bengali is not embedded: {embedded:?}"
    );
    assert!(
        embedded.iter().any(|name| name.ends_with("+NotoSans-Regular")),
        "Noto Sans is not embedded: {embedded:?}"
    );
    assert!(embedded.iter().any(|name| name.contains("Bold")), "no bold font is embedded: {embedded:?}");
}

#[test]
fn pdf_text_copies_back_as_typed() {
    let pdf = render_pdf(&summary("bn")).expect("the summary renders");
    let text = pdf_text::extract(&pdf);

    for name in NAMES {
        assert!(text.contains(name), "the PDF text lacks {name}: {text}");
    }
    assert!(text.contains("পৃষ্ঠা ১ / ১"), "the page number is not in Bengali digits: {text}");
}
