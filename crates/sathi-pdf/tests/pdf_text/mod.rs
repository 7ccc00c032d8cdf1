//! The text of a PDF file as a reader copies it out, for tests: each font's ToUnicode map
//! decodes the drawn glyph codes, and a marked span's `ActualText` replaces the codes drawn
//! inside it. Runs on one baseline join into one line, with a space where a visible gap
//! separates them. `sathi-server`'s tests include this module by path.
//!
//! It reads what `typst-pdf` writes: text in page content streams and in form XObjects,
//! composite fonts with two-byte codes, and ToUnicode maps with `bfchar` and `bfrange`. It is no
//! general PDF text extractor.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// Returns the text of every page of `pdf`, pages separated by a blank line.
pub fn extract(pdf: &[u8]) -> String {
    let document = Document::load_mem(pdf).expect("the PDF parses");
    let mut pages = Vec::new();
    for page_id in document.get_pages().into_values() {
        let mut reader = Reader { document: &document, runs: Vec::new() };
        let resources = page_resources(&document, page_id);
        let content = document.get_page_content(page_id).expect("the page has content");
        reader.read(&content, &resources, IDENTITY);
        pages.push(join_runs(&reader.runs));
    }
    pages.join("\n\n")
}

type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn multiply(first: &Matrix, second: &Matrix) -> Matrix {
    [
        first[0] * second[0] + first[1] * second[2],
        first[0] * second[1] + first[1] * second[3],
        first[2] * second[0] + first[3] * second[2],
        first[2] * second[1] + first[3] * second[3],
        first[4] * second[0] + first[5] * second[2] + second[4],
        first[4] * second[1] + first[5] * second[3] + second[5],
    ]
}

/// Text drawn by one text-showing operator (or one marked span), in page coordinates.
struct Run {
    text: String,
    start_x: f32,
    end_x: f32,
    y: f32,
    size: f32,
}

/// A font's decoding: codes to text and glyph widths in thousandths of the font size.
struct FontMap {
    code_bytes: usize,
    unicode: HashMap<u32, String>,
    widths: HashMap<u32, f32>,
    default_width: f32,
}

struct Reader<'a> {
    document: &'a Document,
    runs: Vec<Run>,
}

impl Reader<'_> {
    /// Reads one content stream with its resources, drawn under the matrix `base`.
    fn read(&mut self, content: &[u8], resources: &Dictionary, base: Matrix) {
        let content = Content::decode(content).expect("the content stream parses");
        let fonts = self.fonts(resources);
        let mut stack = Vec::new();
        let mut ctm = base;
        let mut line = IDENTITY;
        let mut text_matrix = IDENTITY;
        let mut font: Option<&FontMap> = None;
        let mut size = 0.0;
        // One entry per open marked-content sequence: `Some` for a span with `ActualText`.
        let mut marks: Vec<Option<Run>> = Vec::new();
        for operation in &content.operations {
            let numbers: Vec<f32> =
                operation.operands.iter().filter_map(|operand| operand.as_float().ok()).collect();
            match operation.operator.as_str() {
                "q" => stack.push(ctm),
                "Q" => ctm = stack.pop().unwrap_or(base),
                "cm" if numbers.len() == 6 => {
                    ctm = multiply(&numbers[..6].try_into().expect("six numbers"), &ctm);
                }
                "BT" => {
                    line = IDENTITY;
                    text_matrix = IDENTITY;
                }
                "Tm" if numbers.len() == 6 => {
                    line = numbers[..6].try_into().expect("six numbers");
                    text_matrix = line;
                }
                "Td" | "TD" if numbers.len() == 2 => {
                    line = multiply(&[1.0, 0.0, 0.0, 1.0, numbers[0], numbers[1]], &line);
                    text_matrix = line;
                }
                "Tf" => {
                    let name = operation.operands.first().and_then(|name| name.as_name().ok());
                    font = name.and_then(|name| fonts.get(name));
                    size = numbers.first().copied().unwrap_or(0.0);
                }
                "BMC" => marks.push(None),
                "BDC" => {
                    let properties = operation.operands.get(1);
                    let text = properties.and_then(|properties| self.actual_text(resources, properties));
                    marks.push(text.map(|text| Run {
                        text,
                        start_x: f32::NAN,
                        end_x: 0.0,
                        y: 0.0,
                        size: 0.0,
                    }));
                }
                "EMC" => {
                    if let Some(Some(run)) = marks.pop()
                        && !run.start_x.is_nan()
                    {
                        self.runs.push(run);
                    }
                }
                "Tj" | "TJ" => {
                    let Some(font) = font else { continue };
                    let placed = text_rendering_matrix(&text_matrix, size, &ctm);
                    let (text, advance) = show(font, &operation.operands);
                    text_matrix = multiply(&[1.0, 0.0, 0.0, 1.0, advance * size / 1000.0, 0.0], &text_matrix);
                    let ended = text_rendering_matrix(&text_matrix, size, &ctm);
                    let run_size = (placed[2] * placed[2] + placed[3] * placed[3]).sqrt();
                    match marks.iter_mut().rev().find_map(Option::as_mut) {
                        Some(span) => {
                            if span.start_x.is_nan() {
                                span.start_x = placed[4];
                                span.y = placed[5];
                                span.size = run_size;
                            }
                            span.end_x = ended[4];
                        }
                        None => self.runs.push(Run {
                            text,
                            start_x: placed[4],
                            end_x: ended[4],
                            y: placed[5],
                            size: run_size,
                        }),
                    }
                }
                "Do" => {
                    let name = operation.operands.first().and_then(|name| name.as_name().ok());
                    if let Some(name) = name {
                        self.form(resources, name, ctm);
                    }
                }
                _ => {}
            }
        }
    }

    /// Reads the form XObject `name` of `resources`, drawn under `ctm`.
    fn form(&mut self, resources: &Dictionary, name: &[u8], ctm: Matrix) {
        let Some(stream) = resources
            .get(b"XObject")
            .ok()
            .and_then(|objects| self.resolve_dict(objects))
            .and_then(|objects| objects.get(name).ok())
            .and_then(|object| self.document.dereference(object).ok())
            .and_then(|(_, object)| object.as_stream().ok())
        else {
            return;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
            return;
        }
        let matrix: Matrix = stream
            .dict
            .get(b"Matrix")
            .and_then(Object::as_array)
            .ok()
            .and_then(|values| {
                let numbers: Vec<f32> = values.iter().filter_map(|value| value.as_float().ok()).collect();
                numbers.try_into().ok()
            })
            .unwrap_or(IDENTITY);
        let inner = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|inner| self.resolve_dict(inner))
            .cloned()
            .unwrap_or_else(|| resources.clone());
        let content = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        self.read(&content, &inner, multiply(&matrix, &ctm));
    }

    fn resolve_dict<'b>(&'b self, object: &'b Object) -> Option<&'b Dictionary> {
        match object {
            Object::Reference(id) => self.document.get_dictionary(*id).ok(),
            other => other.as_dict().ok(),
        }
    }

    /// Returns the `ActualText` of a marked-content property list, given inline or by its name in
    /// the resources' `Properties`.
    fn actual_text(&self, resources: &Dictionary, properties: &Object) -> Option<String> {
        let properties = match properties {
            Object::Name(name) => {
                let named = resources.get(b"Properties").ok().and_then(|named| self.resolve_dict(named))?;
                self.resolve_dict(named.get(name).ok()?)?
            }
            other => self.resolve_dict(other)?,
        };
        let Object::String(bytes, _) = properties.get(b"ActualText").ok()? else { return None };
        Some(decode_text_string(bytes))
    }

    fn fonts(&self, resources: &Dictionary) -> HashMap<Vec<u8>, FontMap> {
        let mut maps = HashMap::new();
        let Some(fonts) = resources.get(b"Font").ok().and_then(|fonts| self.resolve_dict(fonts)) else {
            return maps;
        };
        for (name, font) in fonts.iter() {
            if let Some(font) = self.resolve_dict(font) {
                maps.insert(name.clone(), self.font_map(font));
            }
        }
        maps
    }

    fn font_map(&self, font: &Dictionary) -> FontMap {
        let composite = font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0".as_slice());
        let mut map = FontMap {
            code_bytes: if composite { 2 } else { 1 },
            unicode: HashMap::new(),
            widths: HashMap::new(),
            default_width: 1000.0,
        };
        if let Some(cmap) = font
            .get(b"ToUnicode")
            .ok()
            .and_then(|object| self.document.dereference(object).ok())
            .and_then(|(_, object)| object.as_stream().ok())
        {
            let bytes = cmap.decompressed_content().unwrap_or_else(|_| cmap.content.clone());
            parse_to_unicode(&String::from_utf8_lossy(&bytes), &mut map.unicode);
        }
        let descendant = font
            .get(b"DescendantFonts")
            .and_then(Object::as_array)
            .ok()
            .and_then(|fonts| fonts.first())
            .and_then(|font| self.resolve_dict(font));
        if let Some(descendant) = descendant {
            if let Ok(width) = descendant.get(b"DW").and_then(Object::as_float) {
                map.default_width = width;
            }
            if let Some(widths) = descendant.get(b"W").ok().and_then(|widths| self.resolve_array(widths)) {
                read_cid_widths(widths, &mut map.widths);
            }
        } else if let (Ok(first), Some(widths)) = (
            font.get(b"FirstChar").and_then(Object::as_i64),
            font.get(b"Widths").ok().and_then(|widths| self.resolve_array(widths)),
        ) {
            for (index, width) in widths.iter().enumerate() {
                if let Ok(width) = width.as_float() {
                    map.widths.insert(first as u32 + index as u32, width);
                }
            }
        }
        map
    }

    fn resolve_array<'b>(&'b self, object: &'b Object) -> Option<&'b Vec<Object>> {
        match object {
            Object::Reference(id) => self.document.get_object(*id).ok()?.as_array().ok(),
            other => other.as_array().ok(),
        }
    }
}

/// Returns the text rendering matrix, whose translation is where the next glyph lands on the page.
fn text_rendering_matrix(text_matrix: &Matrix, size: f32, ctm: &Matrix) -> Matrix {
    multiply(&multiply(&[size, 0.0, 0.0, size, 0.0, 0.0], text_matrix), ctm)
}

/// Decodes the strings of `Tj` or `TJ` and returns the text and the advance in thousandths of the
/// font size.
fn show(font: &FontMap, operands: &[Object]) -> (String, f32) {
    let mut text = String::new();
    let mut advance = 0.0;
    let mut items: Vec<&Object> = Vec::new();
    for operand in operands {
        match operand {
            Object::Array(array) => items.extend(array.iter()),
            other => items.push(other),
        }
    }
    for item in items {
        match item {
            Object::String(bytes, _) => {
                for code in bytes.chunks(font.code_bytes) {
                    let code = code.iter().fold(0_u32, |value, byte| (value << 8) | u32::from(*byte));
                    if let Some(mapped) = font.unicode.get(&code) {
                        text.push_str(mapped);
                    }
                    advance += font.widths.get(&code).copied().unwrap_or(font.default_width);
                }
            }
            other => {
                if let Ok(adjustment) = other.as_float() {
                    advance -= adjustment;
                }
            }
        }
    }
    (text, advance)
}

/// Joins runs in drawing order: a new line where the baseline moves, a space where a gap of
/// more than a quarter of the font size separates two runs on one baseline.
fn join_runs(runs: &[Run]) -> String {
    let mut text = String::new();
    let mut previous: Option<&Run> = None;
    for run in runs {
        if let Some(before) = previous {
            let tolerance = before.size.max(run.size) * 0.25;
            if (run.y - before.y).abs() > tolerance {
                text.push('\n');
            } else if (run.start_x - before.end_x).abs() > tolerance {
                text.push(' ');
            }
        }
        text.push_str(&run.text);
        previous = Some(run);
    }
    text
}

/// Reads `bfchar` and `bfrange` sections of a ToUnicode CMap.
fn parse_to_unicode(cmap: &str, map: &mut HashMap<u32, String>) {
    let hex_values = |line: &str| -> Vec<String> {
        line.split('<').skip(1).filter_map(|part| part.split('>').next()).map(str::to_owned).collect()
    };
    let mut section = "";
    for line in cmap.lines().map(str::trim) {
        if line.ends_with("beginbfchar") {
            section = "char";
            continue;
        }
        if line.ends_with("beginbfrange") {
            section = "range";
            continue;
        }
        if line.starts_with("endbf") {
            section = "";
            continue;
        }
        let values = hex_values(line);
        match section {
            "char" if values.len() == 2 => {
                if let Ok(code) = u32::from_str_radix(&values[0], 16) {
                    map.insert(code, utf16_hex(&values[1]));
                }
            }
            "range" if values.len() >= 3 => {
                let (Ok(low), Ok(high)) =
                    (u32::from_str_radix(&values[0], 16), u32::from_str_radix(&values[1], 16))
                else {
                    continue;
                };
                if line.contains('[') {
                    for (offset, value) in values[2..].iter().enumerate() {
                        map.insert(low + offset as u32, utf16_hex(value));
                    }
                } else {
                    let units = hex_units(&values[2]);
                    for code in low..=high {
                        let mut shifted = units.clone();
                        if let Some(last) = shifted.last_mut() {
                            *last += (code - low) as u16;
                        }
                        map.insert(code, String::from_utf16_lossy(&shifted));
                    }
                }
            }
            _ => {}
        }
    }
}

fn hex_units(hex: &str) -> Vec<u16> {
    (0..hex.len() / 4)
        .filter_map(|index| u16::from_str_radix(&hex[index * 4..index * 4 + 4], 16).ok())
        .collect()
}

fn utf16_hex(hex: &str) -> String {
    String::from_utf16_lossy(&hex_units(hex))
}

/// Decodes a PDF text string: UTF-16BE after a byte order mark, otherwise bytes as Latin-1.
fn decode_text_string(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .filter(|pair| pair.len() == 2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|byte| char::from(*byte)).collect()
    }
}

/// Reads a CIDFont `W` array: `c [w1 w2 ...]` and `c_first c_last w` entries.
fn read_cid_widths(widths: &[Object], map: &mut HashMap<u32, f32>) {
    let mut index = 0;
    while index < widths.len() {
        let Ok(first) = widths[index].as_i64() else { break };
        match widths.get(index + 1) {
            Some(Object::Array(list)) => {
                for (offset, width) in list.iter().enumerate() {
                    if let Ok(width) = width.as_float() {
                        map.insert(first as u32 + offset as u32, width);
                    }
                }
                index += 2;
            }
            Some(last) => {
                let (Ok(last), Some(Ok(width))) =
                    (last.as_i64(), widths.get(index + 2).map(Object::as_float))
                else {
                    break;
                };
                for code in first..=last {
                    map.insert(code as u32, width);
                }
                index += 3;
            }
            None => break,
        }
    }
}

/// The resources of a page, inherited from its parents when the page has none.
fn page_resources(document: &Document, page_id: ObjectId) -> Dictionary {
    let (own, inherited) = document.get_page_resources(page_id).expect("the page's resources resolve");
    if let Some(own) = own {
        return own.clone();
    }
    inherited.into_iter().find_map(|id| document.get_dictionary(id).ok()).cloned().unwrap_or_default()
}
