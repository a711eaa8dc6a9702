use boussole_shared::bilans::BilanFile;
use reqwest::Method;
use uuid::Uuid;

use crate::helpers::*;

on_both_backends!(documents_are_typed_by_content_encrypted_and_destroyed_with_the_bilan);

pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";

pub async fn upload(
    app: &TestApp,
    token: &str,
    bilan: Uuid,
    name: &str,
    bytes: Vec<u8>,
) -> Answer<BilanFile> {
    let res = app
        .client
        .post(
            reqwest::Url::parse_with_params(
                &format!("{}/api/v1/bilans/{bilan}/files", app.base),
                &[("name", name)],
            )
            .unwrap(),
        )
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let text = res.text().await.unwrap();
    Answer::new(
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

async fn documents_are_typed_by_content_encrypted_and_destroyed_with_the_bilan(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let other_consultant = app.token("consultante2@boussole.test").await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;

    let cv = upload(&app, &beneficiary, bilan, "mon CV.pdf", PDF.to_vec())
        .await
        .ok(201);
    assert_eq!(cv.content_type, "application/pdf");
    assert_eq!(cv.size, PDF.len() as i64);
    // A lying extension: the type comes from the bytes.
    let photo = upload(&app, &consultant, bilan, "synthese.pdf", PNG.to_vec())
        .await
        .ok(201);
    assert_eq!(photo.content_type, "image/png");
    upload(
        &app,
        &beneficiary,
        bilan,
        "photo.png",
        b"\x7fELF\x02\x01\x01\x00 not a document".to_vec(),
    )
    .await
    .expect(415);
    upload(&app, &beneficiary, bilan, "vide.pdf", vec![])
        .await
        .expect(400);
    upload(&app, &beneficiary, bilan, "../../etc/passwd", PDF.to_vec())
        .await
        .expect(400);
    upload(
        &app,
        &beneficiary,
        bilan,
        "gros.pdf",
        [PDF, &vec![b' '; 10 * 1024 * 1024]].concat(),
    )
    .await
    .expect(413);
    upload(&app, &admin, bilan, "cv.pdf", PDF.to_vec())
        .await
        .expect(403);
    upload(&app, &other_consultant, bilan, "cv.pdf", PDF.to_vec())
        .await
        .expect(404);

    let list = format!("/api/v1/bilans/{bilan}/files");
    let listed: Vec<BilanFile> = app.get_as(&list, &consultant).await.ok(200);
    assert_eq!(listed.len(), 2);
    app.get(&list, &admin).await.expect(403);
    let file = format!("{list}/{}", cv.id);
    let res = app
        .client
        .get(format!("{}{file}", app.base))
        .bearer_auth(&consultant)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    app.get(&file, &admin).await.expect(403);
    app.get(&file, &other_consultant).await.expect(404);

    // At rest the stored bytes are ciphertext.
    let stored = app
        .config
        .data_dir
        .join("files")
        .join("bilans")
        .join(bilan.to_string());
    let on_disk: Vec<Vec<u8>> = std::fs::read_dir(&stored)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(on_disk.len(), 2);
    assert!(
        on_disk
            .iter()
            .all(|b| !b.windows(4).any(|w| w == b"%PDF") && !b.windows(3).any(|w| w == b"PNG"))
    );

    // The end of the action destroys them with the key.
    abandon(&app, &consultant, bilan, "Fin").await;
    app.call(Method::GET, &file, Some(&consultant), None)
        .await
        .expect(422);
    let left = std::fs::read_dir(&stored).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "stored files deleted");
}
