//! Files on S3-compatible storage, against a local fake S3 server (moto, from PyPI): the real
//! service is outside these machines. `scripts/test-api.sh` installs it and sets BOUSSOLE_TEST_MOTO.

use std::process::{Child, Command, Stdio};

use boussole_api::Application;
use boussole_api::config::S3Config;
use serde_json::json;

use crate::helpers::*;

struct FakeS3 {
    child: Child,
    base: String,
}

impl Drop for FakeS3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn fake_s3() -> FakeS3 {
    let installed = std::env::var("BOUSSOLE_TOOLS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default())
                .join(".cache/boussole-tools")
        })
        .join("pytools/bin/moto_server");
    let bin = std::env::var("BOUSSOLE_TEST_MOTO").ok().or_else(|| installed.is_file().then(|| installed.display().to_string())).expect(
        "the s3:: tests need moto_server: run scripts/test-api.sh (it installs it), or set BOUSSOLE_TEST_MOTO",
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let s3 = FakeS3 {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..100 {
        if reqwest::get(&s3.base).await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // CreateBucket: PUT /bucket.
    let created = reqwest::Client::new()
        .put(format!("{}/boussole-files", s3.base))
        .send()
        .await
        .unwrap();
    assert!(
        created.status().is_success(),
        "bucket created: {}",
        created.status()
    );
    s3
}

#[actix_web::test]
async fn documents_go_to_s3_compatible_storage_encrypted_and_leave_with_the_key() {
    let s3 = fake_s3().await;
    let demo = spawn_demo(Backend::Sqlite).await;
    let mut config = demo.config.clone();
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.s3 = Some(S3Config {
        bucket: "boussole-files".into(),
        region: "eu-west-3".into(),
        endpoint: Some(s3.base.clone()),
        access_key_id: "test".into(),
        secret_access_key: "test".into(),
    });
    let bucket = boussole_api::storage::Storage::from_config(&config).unwrap();
    let server = Application::build(config).unwrap();
    let base = format!("http://127.0.0.1:{}", server.port());
    actix_web::rt::spawn(server.run_until_stopped());
    let app = TestApp { base, ..demo };

    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let pdf = b"%PDF-1.4\nprojet professionnel\n%%EOF\n".to_vec();
    let res = app
        .client
        .post(format!(
            "{}/api/v1/bilans/{bilan}/files?name=projet.pdf",
            app.base
        ))
        .bearer_auth(&consultant)
        .body(pdf.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let file_id = res.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // The object is in the bucket (read with our own signed client), as ciphertext.
    let object = format!("bilans/{bilan}/{file_id}");
    let stored = bucket.get(&object).await.expect("stored in the bucket");
    assert!(
        !stored.windows(6).any(|w| w == b"projet"),
        "encrypted before it leaves the server"
    );
    let local = app.config.data_dir.join("files").join("bilans");
    assert!(!local.exists(), "nothing written to the local folder");

    let back = app
        .client
        .get(format!(
            "{}/api/v1/bilans/{bilan}/files/{file_id}",
            app.base
        ))
        .bearer_auth(&consultant)
        .send()
        .await
        .unwrap();
    assert_eq!(back.bytes().await.unwrap().as_ref(), pdf.as_slice());

    app.post(
        &format!("/api/v1/bilans/{bilan}/transitions"),
        Some(&consultant),
        json!({ "to": "abandoned", "reason": "Fin" }),
    )
    .await
    .expect(200);
    assert!(
        matches!(
            bucket.get(&object).await,
            Err(boussole_api::error::ApiError::NotFound)
        ),
        "deleted from the bucket"
    );
}
