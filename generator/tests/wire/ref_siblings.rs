//! Siblings of `$ref` and `allOf: [$ref]` wrappers that add `required`
//! (`tests/fixtures/ref-siblings.yaml`) through the generated client against a loopback HTTP
//! server. Run by `tests/wire.rs` as the fixture crate's own test.

use serde_json::json;
use wire_ref_siblings::{Client, models};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client_for(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().unwrap()
}

/// `{$ref: X, nullable: true}` (and 3.1's `type: [object, "null"]` beside a `$ref`) accepts
/// `null` as a property, an item, a map value, in an `allOf` member and as the whole body, and
/// writes it back as it came.
#[tokio::test]
async fn null_decodes_into_nullable_references() {
    let body = json!({
        "task_id": "t1",
        "triggerer_job": null,
        "retry_delay": null,
        "pool": null,
        "jobs": [null, {"id": 7}],
        "delays": {"a": null, "b": {"days": 1}},
        "trigger": null
    });
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/task-instances/t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/jobs/latest"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(null)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/dags/d1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"dag_id": "d1", "dag_run_timeout": null})),
        )
        .mount(&server)
        .await;
    let client = client_for(&server).await;

    let ti = client.get_task_instance("t1").await.unwrap();
    assert_eq!(ti.triggerer_job, None);
    assert!(ti.retry_delay.is_null());
    assert!(ti.pool.is_null());
    assert!(ti.trigger.is_null());
    let jobs = ti.jobs.as_ref().unwrap();
    assert_eq!(jobs[0], None);
    assert_eq!(jobs[1].as_ref().unwrap().id, 7);
    let delays = ti.delays.as_ref().unwrap();
    assert_eq!(delays["a"], None);
    assert_eq!(delays["b"].as_ref().unwrap().days, Some(1));
    assert_eq!(serde_json::to_value(&ti).unwrap(), body);

    assert_eq!(client.get_latest_job().await.unwrap(), None);

    let dag = client.get_dag("d1").await.unwrap();
    assert_eq!(dag.dag_id, "d1");
    assert!(dag.dag_run_timeout.is_null());
}

/// `{allOf: [$ref], required: [name, count]}` and `{$ref, required: [droplet_ids]}` are bodies
/// whose required fields are plain values (not `Option`), sent as given.
#[tokio::test]
async fn wrappers_that_add_required_send_required_fields() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/node-pools/p1"))
        .and(body_json(json!({"name": "frontend-pool", "count": 3})))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"id": 1})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/load-balancers/lb1/droplets"))
        .and(body_json(json!({"droplet_ids": [3164444, 3164445]})))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_for(&server).await;

    let pool = models::UpdateNodePoolBody {
        name: "frontend-pool".into(),
        count: 3,
        ..Default::default()
    };
    // The wrapper whose `required` the member already has is the member itself.
    let job: models::Job = client.update_node_pool("p1", &pool).await.unwrap();
    assert_eq!(job.id, 1);

    let ids = models::AddDropletsBody {
        droplet_ids: vec![3164444, 3164445],
        ..Default::default()
    };
    client.add_droplets("lb1", &ids).await.unwrap();

    // Decoding enforces them too.
    assert!(serde_json::from_value::<models::UpdateNodePoolBody>(json!({"name": "x"})).is_err());
}
