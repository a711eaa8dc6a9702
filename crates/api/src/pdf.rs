//! A small PDF writer over printpdf (STACK.md §5.4): A4 pages with the organisation's identity on
//! top of each, "Page n / N" at the bottom, wrapped paragraphs and a ruled table. Text is drawn with
//! an embedded Liberation Sans (SIL OFL, `assets/fonts`), as CID TrueType with a ToUnicode map:
//! accents survive, and the text can be selected, searched and read aloud. The title and the
//! language (fr-FR) go into the document's metadata.

use std::sync::OnceLock;

use boussole_shared::documents::OrganisationIdentity;
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

use crate::error::ApiError;

const REGULAR_TTF: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 50.0;
const BOTTOM: f32 = 60.0;
const BODY: f32 = 10.0;

/// The two faces, parsed once per process (parsing is most of the cost of a one-page document).
struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
}

fn fonts() -> Result<&'static Fonts, ApiError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut warnings = Vec::new();
            Some(Fonts {
                regular: ParsedFont::from_bytes(REGULAR_TTF, 0, &mut warnings)?,
                bold: ParsedFont::from_bytes(BOLD_TTF, 0, &mut warnings)?,
            })
        })
        .as_ref()
        .ok_or_else(|| ApiError::internal("the embedded fonts do not parse"))
}

/// The two font files deflated once per process. printpdf embeds them whole (it subsets fonts only
/// with its HTML layout engine, which we leave out), and deflating 800 KB at the best level for each
/// document would be nearly all of its cost.
fn packed_fonts() -> &'static [(&'static [u8], Vec<u8>); 2] {
    static PACKED: OnceLock<[(&'static [u8], Vec<u8>); 2]> = OnceLock::new();
    PACKED.get_or_init(|| {
        [REGULAR_TTF, BOLD_TTF].map(|ttf| {
            let mut stream = lopdf::Stream::new(lopdf::Dictionary::new(), ttf.to_vec());
            // On failure the stream stays plain and `finish` compresses it as before.
            let _ = stream.compress();
            (ttf, stream.content)
        })
    })
}

/// Puts the deflated copies in place of the embedded font files.
fn use_packed_fonts(pdf: &mut lopdf::Document) {
    let packed = packed_fonts();
    for object in pdf.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        if let Some((_, deflated)) = packed
            .iter()
            .find(|(ttf, deflated)| deflated.len() < ttf.len() && stream.content == *ttf)
        {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(deflated.clone());
        }
    }
}

/// Width of `text` in points, from the font's own advance widths (unknown glyphs count half an em).
fn width(font: &ParsedFont, size: f32, text: &str) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| {
            font.lookup_glyph_index(c as u32)
                .and_then(|g| font.get_glyph_width(g))
                .map_or(u32::from(font.units_per_em) / 2, u32::from)
        })
        .sum();
    units as f32 * size / f32::from(font.units_per_em.max(1))
}

/// `text` cut into lines no wider than `max` points, at spaces; a line break in the text is kept.
/// A word wider than a line (a SHA-256, a long address) is cut between characters, so that it never
/// runs off the page.
fn wrap(font: &ParsedFont, size: f32, text: &str, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let words = paragraph
            .split_whitespace()
            .flat_map(|w| split_wide(font, size, w, max));
        for word in words {
            let word = word.as_str();
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && width(font, size, &candidate) > max {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    lines
}

/// `word` as is when it fits in `max` points, else cut into pieces that each fit.
fn split_wide(font: &ParsedFont, size: f32, word: &str, max: f32) -> Vec<String> {
    if width(font, size, word) <= max {
        return vec![word.to_string()];
    }
    let mut pieces = vec![String::new()];
    for c in word.chars() {
        let last = pieces.len() - 1;
        let mut candidate = pieces[last].clone();
        candidate.push(c);
        if !pieces[last].is_empty() && width(font, size, &candidate) > max {
            pieces.push(c.to_string());
        } else {
            pieces[last] = candidate;
        }
    }
    pieces
}

/// The wording of L6352-12 for the activity declaration number (DOMAIN.md §1.7), the region
/// introduced as French elides it: "de Bretagne", "d'Île-de-France".
pub fn nda_mention(org: &OrganisationIdentity) -> String {
    let region = org.nda_region.trim();
    let elided = region
        .chars()
        .next()
        .is_some_and(|c| "AEIOUÉÎ".contains(c.to_uppercase().next().unwrap_or(c)));
    format!(
        "Déclaration d'activité enregistrée sous le numéro {} auprès du préfet de région {}{region}. \
         Cet enregistrement ne vaut pas agrément de l'État.",
        org.nda.trim(),
        if elided { "d'" } else { "de " },
    )
}

#[derive(Clone, Copy)]
pub enum Face {
    Regular,
    Bold,
}

/// A document being written, top to bottom.
pub struct Writer {
    doc: PdfDocument,
    regular: FontId,
    bold: FontId,
    fonts: &'static Fonts,
    header: Vec<(String, Face, f32)>,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    y: f32,
}

impl Writer {
    /// A new document titled `title`, whose every page starts with `org`'s identity.
    pub fn new(title: &str, org: &OrganisationIdentity) -> Result<Writer, ApiError> {
        let fonts = fonts()?;
        let mut doc = PdfDocument::new(title);
        doc.metadata.info.author = org.name.clone();
        doc.metadata.info.creator = "Boussole".into();
        doc.metadata.info.producer = "Boussole (printpdf)".into();
        doc.metadata.info.subject = title.to_string();
        let regular = doc.add_font(&fonts.regular);
        let bold = doc.add_font(&fonts.bold);
        let mut header = vec![(org.name.trim().to_string(), Face::Bold, 11.0)];
        for line in org.address.lines().filter(|l| !l.trim().is_empty()) {
            header.push((line.trim().to_string(), Face::Regular, 8.5));
        }
        header.push((format!("SIRET {}", org.siret), Face::Regular, 8.5));
        header.push((nda_mention(org), Face::Regular, 8.5));
        if !org.qualiopi_certificate.trim().is_empty() {
            header.push((
                format!(
                    "Certification Qualiopi n° {} délivrée par {} au titre de la catégorie : bilans de compétences.",
                    org.qualiopi_certificate.trim(),
                    org.qualiopi_certifier.trim()
                ),
                Face::Regular,
                8.5,
            ));
        }
        let mut w = Writer {
            doc,
            regular,
            bold,
            fonts,
            header,
            pages: Vec::new(),
            ops: Vec::new(),
            y: 0.0,
        };
        w.start_page();
        Ok(w)
    }

    fn font(&self, face: Face) -> (&FontId, &ParsedFont) {
        match face {
            Face::Regular => (&self.regular, &self.fonts.regular),
            Face::Bold => (&self.bold, &self.fonts.bold),
        }
    }

    fn text_at(&mut self, x: f32, y: f32, face: Face, size: f32, text: &str) {
        let id = self.font(face).0.clone();
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point { x: Pt(x), y: Pt(y) },
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32)) {
        let point = |(x, y): (f32, f32)| LinePoint {
            p: Point { x: Pt(x), y: Pt(y) },
            bezier: false,
        };
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![point(from), point(to)],
                is_closed: false,
            },
        });
    }

    fn start_page(&mut self) {
        if !self.ops.is_empty() {
            self.pages.push(std::mem::take(&mut self.ops));
        }
        self.y = PAGE_H - MARGIN;
        let max = PAGE_W - 2.0 * MARGIN;
        for (text, face, size) in self.header.clone() {
            for line in wrap(self.font(face).1, size, &text, max) {
                self.y -= size * 1.3;
                self.text_at(MARGIN, self.y, face, size, &line);
            }
        }
        self.y -= 6.0;
        self.line((MARGIN, self.y), (PAGE_W - MARGIN, self.y));
        self.y -= 14.0;
    }

    /// Starts a new page unless `height` points still fit on this one.
    fn room(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.start_page();
        }
    }

    pub fn space(&mut self, points: f32) {
        self.y -= points;
    }

    /// The document's title, large and bold.
    pub fn title(&mut self, text: &str) {
        self.room(30.0);
        self.y -= 16.0;
        self.text_at(MARGIN, self.y, Face::Bold, 16.0, text);
        self.y -= 12.0;
    }

    /// A section heading.
    pub fn heading(&mut self, text: &str) {
        self.room(40.0);
        self.y -= 8.0;
        self.paragraph_in(Face::Bold, 11.5, text);
    }

    /// A paragraph of body text, wrapped; line breaks in `text` are kept.
    pub fn paragraph(&mut self, text: &str) {
        self.paragraph_in(Face::Regular, BODY, text);
        self.y -= 4.0;
    }

    fn paragraph_in(&mut self, face: Face, size: f32, text: &str) {
        let lines = wrap(self.font(face).1, size, text, PAGE_W - 2.0 * MARGIN);
        for line in lines {
            self.room(size * 1.4);
            self.y -= size * 1.4;
            self.text_at(MARGIN, self.y, face, size, &line);
        }
    }

    /// "Label : value", the label in bold.
    pub fn field(&mut self, label: &str, value: &str) {
        let label = format!("{label} : ");
        let indent = width(&self.fonts.bold, BODY, &label);
        let lines = wrap(
            &self.fonts.regular,
            BODY,
            value,
            PAGE_W - 2.0 * MARGIN - indent,
        );
        for (i, line) in lines.iter().enumerate() {
            self.room(BODY * 1.4);
            self.y -= BODY * 1.4;
            if i == 0 {
                self.text_at(MARGIN, self.y, Face::Bold, BODY, &label);
            }
            self.text_at(MARGIN + indent, self.y, Face::Regular, BODY, line);
        }
        self.y -= 2.0;
    }

    /// A ruled table: `widths` are fractions of the text width; the header row is shaded and
    /// repeated on every page the table runs onto; cells wrap.
    pub fn table(&mut self, headers: &[&str], widths: &[f32], rows: &[Vec<String>]) {
        let size = 9.0;
        let lead = size * 1.3;
        let total = PAGE_W - 2.0 * MARGIN;
        let cols: Vec<f32> = widths.iter().map(|w| w * total).collect();
        let header: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        self.room(lead * 3.0 + 8.0);
        self.table_row(&header, &cols, Face::Bold, size, true);
        for row in rows {
            let height = self.row_height(row, &cols, Face::Regular, size);
            if self.y - height < BOTTOM {
                self.start_page();
                self.table_row(&header, &cols, Face::Bold, size, true);
            }
            self.table_row(row, &cols, Face::Regular, size, false);
        }
        self.y -= 8.0;
    }

    fn row_height(&self, cells: &[String], cols: &[f32], face: Face, size: f32) -> f32 {
        let font = self.font(face).1;
        let lines = cells
            .iter()
            .zip(cols)
            .map(|(c, w)| wrap(font, size, c, w - 6.0).len())
            .max()
            .unwrap_or(1);
        lines as f32 * size * 1.3 + 6.0
    }

    fn table_row(&mut self, cells: &[String], cols: &[f32], face: Face, size: f32, shaded: bool) {
        let height = self.row_height(cells, cols, face, size);
        let (top, bottom) = (self.y, self.y - height);
        let right = MARGIN + cols.iter().sum::<f32>();
        if shaded {
            self.ops.extend([
                Op::SetFillColor { col: grey(0.9) },
                Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(MARGIN),
                        y: Pt(bottom),
                        width: Pt(right - MARGIN),
                        height: Pt(height),
                        mode: Some(PaintMode::Fill),
                        winding_order: None,
                    },
                },
                Op::SetFillColor { col: grey(0.0) },
            ]);
        }
        let mut x = MARGIN;
        for (cell, w) in cells.iter().zip(cols) {
            let lines = wrap(self.font(face).1, size, cell, w - 6.0);
            let mut ly = top - 3.0;
            for line in lines {
                ly -= size * 1.3;
                self.text_at(x + 3.0, ly + 2.0, face, size, &line);
            }
            self.line((x, top), (x, bottom));
            x += w;
        }
        self.line((right, top), (right, bottom));
        self.line((MARGIN, top), (right, top));
        self.line((MARGIN, bottom), (right, bottom));
        self.y = bottom;
    }

    /// The finished PDF: "Page n / N" on each page, the language in the catalog, the issue time as
    /// its creation date.
    pub fn finish(mut self, issued_at: chrono::DateTime<chrono::Utc>) -> Result<Vec<u8>, ApiError> {
        self.pages.push(std::mem::take(&mut self.ops));
        let count = self.pages.len();
        let pages: Vec<Vec<Op>> = std::mem::take(&mut self.pages);
        let mut out = Vec::with_capacity(count);
        for (n, ops) in pages.into_iter().enumerate() {
            self.ops = ops;
            let footer = format!("Page {} / {count}", n + 1);
            let x = PAGE_W - MARGIN - width(&self.fonts.regular, 8.0, &footer);
            self.text_at(x, 30.0, Face::Regular, 8.0, &footer);
            out.push(PdfPage::new(
                Mm(210.0),
                Mm(297.0),
                std::mem::take(&mut self.ops),
            ));
        }
        self.doc.with_pages(out);
        let mut warnings = Vec::new();
        let mut pdf = self
            .doc
            .to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
        pdf.catalog_mut()
            .map_err(ApiError::internal)?
            .set("Lang", lopdf::Object::string_literal("fr-FR"));
        let date = lopdf::Object::string_literal(issued_at.format("D:%Y%m%d%H%M%SZ").to_string());
        if let Ok(info) = pdf
            .trailer
            .get(b"Info")
            .and_then(lopdf::Object::as_reference)
            && let Ok(lopdf::Object::Dictionary(info)) = pdf.get_object_mut(info)
        {
            info.set("CreationDate", date.clone());
            info.set("ModDate", date);
        }
        use_packed_fonts(&mut pdf);
        pdf.compress();
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes).map_err(ApiError::internal)?;
        Ok(bytes)
    }
}

fn grey(level: f32) -> Color {
    Color::Rgb(Rgb::new(level, level, level, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nda_mention_elides_before_a_vowel() {
        let mut org = OrganisationIdentity {
            nda: "11755555575".into(),
            nda_region: "Île-de-France".into(),
            ..Default::default()
        };
        assert!(nda_mention(&org).contains("numéro 11755555575 auprès du préfet de région d'Île-de-France. Cet enregistrement ne vaut pas agrément de l'État."));
        org.nda_region = "Bretagne".into();
        assert!(nda_mention(&org).contains("préfet de région de Bretagne."));
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_and_nothing_is_lost() {
        let font = &fonts().unwrap().regular;
        let hash = "77b3e0a32fc3ee19d53a4ae443deb60d4d21a2a694b91f4360e941773ce78cca";
        let max = width(font, BODY, &hash[..20]);
        let lines = wrap(font, BODY, &format!("Empreinte : {hash} fin"), max);
        assert!(lines.len() > 3, "{lines:?}");
        assert!(
            lines.iter().all(|l| width(font, BODY, l) <= max),
            "{lines:?}"
        );
        assert_eq!(
            lines.concat().replace(' ', ""),
            format!("Empreinte:{hash}fin")
        );
    }
}
