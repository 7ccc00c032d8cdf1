//! The printed case summary: a [`CaseSummary`] laid out by Typst with the fonts that ship in this
//! crate, and written as PDF.
//!
//! This crate owns the template (`case.typ`), the fonts and a small Typst [`World`] that contains
//! only the template, the summary as the virtual file `case.json`, and the embedded fonts. It reads no file, no system font and no package, and it opens no connection.
//! It has no notion of cases, permissions or languages: the caller decides what the summary
//! contains and writes every label and value in the reader's language.

use std::sync::LazyLock;

use serde::Serialize;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
pub use typst_layout::PagedDocument;

/// How many renders an entry of Typst's memoisation cache survives without being used.
const CACHE_RENDERS: usize = 5;

/// The template, compiled into the binary.
const TEMPLATE: &str = include_str!("case.typ");

/// Noto Sans for Latin text and Noto Sans Bengali for Bangla, regular and bold (SIL Open Font
/// License 1.1, `fonts/OFL.txt`).
const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSansBengali-Regular.ttf"),
    include_bytes!("../fonts/NotoSansBengali-Bold.ttf"),
];

/// Everything the summary shows, already in the reader's language.
#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    /// ISO 639-1 code of the document's language, such as `bn`; Typst uses it for line breaking.
    pub language: String,
    /// The ten digits, zero first, that page numbers are written with.
    pub digits: [String; 10],
    /// The name of the agency that owns the case.
    pub agency: String,
    /// The document's title, such as "Case summary".
    pub title: String,
    pub display_id: String,
    /// The child's name, or `None` when the reader may not see it.
    pub child_name: Option<String>,
    pub risk: Option<Risk>,
    /// Short facts under the title, such as status, stage and registration date.
    pub facts: Vec<Fact>,
    /// The line that names who printed the summary, and when.
    pub printed: String,
    /// The text at the foot of every page, such as a confidentiality notice.
    pub footer: String,
    /// The page number pattern, with `{page}` and `{pages}` replaced by numbers.
    pub page_label: String,
    /// Shown instead of the sections when there are none.
    pub empty: String,
    pub sections: Vec<Section>,
}

/// A risk level: the option id picks the colour, the label is the word beside it.
#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    /// `high`, `medium` or `low`; any other value is drawn in grey.
    pub level: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// One form of the case.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub title: String,
    pub items: Vec<Item>,
}

/// A line of a section, in form order.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// A heading inside a form, such as "Identity documents".
    Heading {
        text: String,
    },
    Field {
        label: String,
        value: String,
    },
    /// The rows of a subform; every row has one cell per column.
    Table {
        label: String,
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// A failure to render a summary. Each is a defect of the template or of this crate, not of the
/// case data, because the template places every value as a string.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the case summary template failed: {0}")]
    Template(String),
    #[error("the PDF export failed: {0}")]
    Pdf(String),
    #[error("the case summary does not serialise: {0}")]
    Data(#[from] serde_json::Error),
}

/// Lays the summary out as pages, without writing a PDF. Tests inspect the glyphs of these pages.
pub fn layout(summary: &CaseSummary) -> Result<PagedDocument, RenderError> {
    let world = SummaryWorld::new(summary)?;
    compile(&world)
}

/// Renders the summary as a PDF file. Rendering is CPU work, so an async caller runs it on a
/// blocking thread.
pub fn render_pdf(summary: &CaseSummary) -> Result<Vec<u8>, RenderError> {
    let world = SummaryWorld::new(summary)?;
    let document = compile(&world)?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| RenderError::Pdf(describe(&world, &errors)))
}

fn compile(world: &SummaryWorld) -> Result<PagedDocument, RenderError> {
    let compiled = typst::compile::<PagedDocument>(world);
    // Typst memoises its work in a process-wide cache that nothing empties by itself, and every
    // summary adds about 2 MB to it (five forms of twenty fields, `tests/memory.rs`, debug
    // build). Entries unused for five renders are dropped, so a server's cache stays small.
    typst::comemo::evict(CACHE_RENDERS);
    compiled.output.map_err(|errors| RenderError::Template(describe(world, &errors)))
}

/// Returns the fonts every summary is set in, parsed once per process.
pub fn fonts() -> &'static [Font] {
    static FONTS: LazyLock<Vec<Font>> =
        LazyLock::new(|| FONT_FILES.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect());
    &FONTS
}

/// Writes each error's message with its line in the template, when it has one.
fn describe(world: &SummaryWorld, errors: &[SourceDiagnostic]) -> String {
    let describe_one = |error: &SourceDiagnostic| match world.range(error.span) {
        Some(range) => {
            let line = TEMPLATE.get(..range.start).map_or(0, |before| before.matches('\n').count()) + 1;
            format!("case.typ line {line}: {}", error.message)
        }
        None => error.message.to_string(),
    };
    errors.iter().map(describe_one).collect::<Vec<_>>().join("; ")
}

/// The Typst environment of one summary: the template as the main file, the summary as
/// `case.json`, and the embedded fonts. Any other file is reported as not found.
struct SummaryWorld {
    template: Source,
    case_json: Bytes,
}

/// The standard library and the font book are the same for every summary, so they are built once.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));
static BOOK: LazyLock<LazyHash<FontBook>> = LazyLock::new(|| LazyHash::new(FontBook::from_fonts(fonts())));

static TEMPLATE_ID: LazyLock<FileId> = LazyLock::new(|| project_file("case.typ"));
static CASE_JSON_ID: LazyLock<FileId> = LazyLock::new(|| project_file("case.json"));

fn project_file(path: &str) -> FileId {
    let path = VirtualPath::new(path).expect("the file names are valid virtual paths");
    RootedPath::new(VirtualRoot::Project, path).intern()
}

impl SummaryWorld {
    fn new(summary: &CaseSummary) -> Result<Self, RenderError> {
        let case_json = serde_json::to_vec(summary)?;
        Ok(SummaryWorld {
            template: Source::new(*TEMPLATE_ID, TEMPLATE.to_owned()),
            case_json: Bytes::new(case_json),
        })
    }
}

impl World for SummaryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &BOOK
    }

    fn main(&self) -> FileId {
        *TEMPLATE_ID
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *TEMPLATE_ID { Ok(self.template.clone()) } else { Err(not_found(id)) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *CASE_JSON_ID {
            Ok(self.case_json.clone())
        } else if id == *TEMPLATE_ID {
            Ok(Bytes::from_string(self.template.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().get(index).cloned()
    }

    /// Returns `None`, because the template prints the date the caller gives it, never Typst's
    /// own clock.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
