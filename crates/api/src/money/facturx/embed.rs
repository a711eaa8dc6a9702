//! Makes an invoice PDF a Factur-X: the CII XML attached as `factur-x.xml` (an embedded file with
//! `/AFRelationship /Data`, listed in the catalog's `/AF` and `/Names /EmbeddedFiles`), XMP metadata
//! declaring PDF/A-3B and the Factur-X extension schema, and an sRGB output intent (the pages draw in
//! DeviceRGB). The PDF is post-processed with lopdf, the library printpdf writes with.
//!
//! What is not proven here: full PDF/A-3 conformance (no PDF/A validator is on the registries; veraPDF
//! is a Java download). The fonts are embedded and the metadata agree with the Info dictionary; the
//! XML is checked by the `factur-x` package in the tests.

use std::sync::OnceLock;

use boussole_shared::money::{Invoice, InvoiceKind};
use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat, dictionary};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The name Factur-X requires for the attachment.
pub const FILE_NAME: &str = "factur-x.xml";

/// `pdf` with `xml` embedded, as PDF/A-3B Factur-X (EN 16931).
pub fn embed(pdf: &[u8], xml: &str, inv: &Invoice) -> Result<Vec<u8>, ApiError> {
    let mut doc = Document::load_mem(pdf).map_err(ApiError::internal)?;
    doc.version = "1.7".into();
    let when = inv.issued_at;
    let date = Object::string_literal(when.format("D:%Y%m%d%H%M%SZ").to_string());

    let file = Stream::new(
        dictionary! {
            "Type" => "EmbeddedFile",
            "Subtype" => Object::Name(b"text/xml".to_vec()),
            "Params" => dictionary! {
                "Size" => Object::Integer(xml.len() as i64),
                "ModDate" => date.clone(),
            },
        },
        xml.as_bytes().to_vec(),
    );
    let file = doc.add_object(file);
    let spec = doc.add_object(dictionary! {
        "Type" => "Filespec",
        "F" => Object::string_literal(FILE_NAME),
        "UF" => Object::string_literal(FILE_NAME),
        "Desc" => Object::string_literal("Factur-X invoice"),
        "AFRelationship" => "Data",
        "EF" => dictionary! { "F" => file, "UF" => file },
    });

    let metadata = Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp(&Info::of(&doc, inv), when).into_bytes(),
    )
    // PDF/A: the metadata stream stays readable without a filter.
    .with_compression(false);
    let metadata = doc.add_object(metadata);

    let mut intent = dictionary! {
        "Type" => "OutputIntent",
        "S" => "GTS_PDFA1",
        "OutputConditionIdentifier" => Object::string_literal("sRGB IEC61966-2.1"),
        "RegistryName" => Object::string_literal("http://www.color.org"),
        "Info" => Object::string_literal("sRGB IEC61966-2.1"),
    };
    let icc = srgb_icc().ok_or_else(|| ApiError::internal("no sRGB ICC profile"))?;
    let mut profile = Stream::new(dictionary! { "N" => 3 }, icc.to_vec());
    let _ = profile.compress();
    intent.set("DestOutputProfile", doc.add_object(profile));
    let intent = doc.add_object(intent);

    let catalog = doc.catalog_mut().map_err(ApiError::internal)?;
    catalog.set("AF", vec![Object::Reference(spec)]);
    catalog.set(
        "Names",
        dictionary! {
            "EmbeddedFiles" => dictionary! {
                "Names" => vec![Object::string_literal(FILE_NAME), Object::Reference(spec)],
            },
        },
    );
    catalog.set("Metadata", metadata);
    catalog.set("OutputIntents", vec![Object::Reference(intent)]);
    if let Ok(info) = doc.trailer.get(b"Info").and_then(Object::as_reference)
        && let Ok(Object::Dictionary(info)) = doc.get_object_mut(info)
    {
        info.set("ModDate", date.clone());
        info.set("CreationDate", date);
        // printpdf writes PDF/X keys and empty ones; under PDF/A each Info entry must have its XMP
        // twin, so what says nothing goes.
        let empty: Vec<Vec<u8>> = info
            .iter()
            .filter(|(_, v)| matches!(v, Object::String(s, _) if s.is_empty()))
            .map(|(k, _)| k.clone())
            .collect();
        for key in empty
            .iter()
            .map(Vec::as_slice)
            .chain([&b"GTS_PDFXVersion"[..], b"Trapped"])
        {
            info.remove(key);
        }
    }
    // PDF/A wants a file identifier; it is derived from the content so the same invoice gives the
    // same file.
    let id = Sha256::digest([pdf, xml.as_bytes()].concat());
    let id = Object::String(id[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![id.clone(), id]);

    let mut out = Vec::with_capacity(pdf.len() + xml.len() + 8 * 1024);
    doc.save_to(&mut out).map_err(ApiError::internal)?;
    Ok(out)
}

/// The texts of the Info dictionary, which the XMP must repeat (PDF/A), escaped for XML.
struct Info {
    title: String,
    author: String,
    subject: String,
    producer: String,
    creator: String,
}

impl Info {
    fn of(doc: &Document, inv: &Invoice) -> Info {
        let info: Option<&Dictionary> = doc
            .trailer
            .get(b"Info")
            .and_then(Object::as_reference)
            .and_then(|id| doc.get_dictionary(id))
            .ok();
        let text = |key: &[u8]| {
            let text = info
                .and_then(|d| d.get(key).ok())
                .and_then(|o| lopdf::decode_text_string(o).ok())
                .unwrap_or_default();
            esc(&text)
        };
        let mut title = text(b"Title");
        if title.is_empty() {
            let what = match inv.kind {
                InvoiceKind::Invoice => "Facture",
                InvoiceKind::CreditNote => "Avoir",
            };
            title = esc(&format!("{what} {}", inv.number));
        }
        Info {
            title,
            author: text(b"Author"),
            subject: text(b"Subject"),
            producer: text(b"Producer"),
            creator: text(b"Creator"),
        }
    }
}

/// The sRGB IEC 61966-2.1 profile, generated once by moxcms. Its creation date is set to a fixed day
/// so that the same invoice always gives the same bytes (the profile id is left zero, "not
/// computed", so changing the header keeps it valid).
fn srgb_icc() -> Option<&'static [u8]> {
    static ICC: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    ICC.get_or_init(|| {
        let mut profile = moxcms::ColorProfile::new_srgb();
        // The CICP tag belongs to ICC v4.4; without it the profile is a plain v4 one.
        profile.cicp = None;
        let mut bytes = profile.encode().ok()?;
        let fixed: [u16; 6] = [2026, 1, 1, 0, 0, 0];
        for (i, v) in fixed.iter().enumerate() {
            bytes
                .get_mut(24 + 2 * i..26 + 2 * i)?
                .copy_from_slice(&v.to_be_bytes());
        }
        Some(bytes)
    })
    .as_deref()
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The XMP packet: PDF/A-3B identification, Dublin Core and PDF properties matching the Info
/// dictionary, the Factur-X extension schema (so the `fx:` properties are declared, as PDF/A asks of
/// any custom property) and the Factur-X properties themselves.
fn xmp(info: &Info, when: DateTime<Utc>) -> String {
    let date = when.format("%Y-%m-%dT%H:%M:%SZ");
    let Info {
        title,
        author,
        subject,
        producer,
        creator,
    } = info;
    let property = |name: &str, description: &str| {
        format!(
            "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}</pdfaProperty:name>\
             <pdfaProperty:valueType>Text</pdfaProperty:valueType>\
             <pdfaProperty:category>external</pdfaProperty:category>\
             <pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
        )
    };
    let properties = [
        property("DocumentFileName", "The name of the embedded XML document"),
        property(
            "DocumentType",
            "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER",
        ),
        property(
            "Version",
            "The actual version of the standard applying to the embedded XML document",
        ),
        property(
            "ConformanceLevel",
            "The conformance level of the embedded XML document",
        ),
    ]
    .concat();
    let mut dc = String::new();
    if !author.is_empty() {
        dc = format!("<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>");
    }
    if !subject.is_empty() {
        dc.push_str(&format!(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description>"
        ));
    }
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\
         <pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>\n\
         <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <dc:format>application/pdf</dc:format>\
         <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>{dc}\
         </rdf:Description>\n\
         <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\
         <pdf:Producer>{producer}</pdf:Producer></rdf:Description>\n\
         <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\
         <xmp:CreatorTool>{creator}</xmp:CreatorTool><xmp:CreateDate>{date}</xmp:CreateDate>\
         <xmp:ModifyDate>{date}</xmp:ModifyDate></rdf:Description>\n\
         <rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
         xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\
         <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\
         <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>\
         <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>\
         <pdfaSchema:prefix>fx</pdfaSchema:prefix>\
         <pdfaSchema:property><rdf:Seq>{properties}</rdf:Seq></pdfaSchema:property>\
         </rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\n\
         <rdf:Description rdf:about=\"\" xmlns:fx=\"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#\">\
         <fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>{FILE_NAME}</fx:DocumentFileName>\
         <fx:Version>1.0</fx:Version><fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>\n\
         </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
    )
}
