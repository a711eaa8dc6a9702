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

    let (title, author, producer, creator) = info_texts(&doc, inv);
    let metadata = Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp(&title, &author, &producer, &creator, when).into_bytes(),
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

/// Title, author, producer and creator: those of the Info dictionary, which the XMP must repeat.
fn info_texts(doc: &Document, inv: &Invoice) -> (String, String, String, String) {
    let info: Option<&Dictionary> = doc
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .ok();
    let text = |key: &[u8]| {
        info.and_then(|d| d.get(key).ok())
            .and_then(|o| lopdf::decode_text_string(o).ok())
            .unwrap_or_default()
    };
    let title = text(b"Title");
    let title = if title.is_empty() {
        format!(
            "{} {}",
            match inv.kind {
                InvoiceKind::Invoice => "Facture",
                InvoiceKind::CreditNote => "Avoir",
            },
            inv.number
        )
    } else {
        title
    };
    (title, text(b"Author"), text(b"Producer"), text(b"Creator"))
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
fn xmp(title: &str, author: &str, producer: &str, creator: &str, when: DateTime<Utc>) -> String {
    let date = when.format("%Y-%m-%dT%H:%M:%SZ");
    let (title, author, producer, creator) = (esc(title), esc(author), esc(producer), esc(creator));
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
    let author = if author.is_empty() {
        String::new()
    } else {
        format!("<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>")
    };
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\
         <pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>\n\
         <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <dc:format>application/pdf</dc:format>\
         <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>{author}\
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
