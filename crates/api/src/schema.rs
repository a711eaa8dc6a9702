// Written by hand with the types both backends share (see STACK.md §5.1): text UUIDs, BigInt, naive UTC
// timestamps. The schema-agreement test in tests/ checks the two migration trees against each other.

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        civility -> Nullable<Text>,
        first_name -> Text,
        last_name -> Text,
        phone -> Nullable<Text>,
        locale -> Text,
        email_verified_at -> Nullable<Timestamp>,
        totp_secret -> Nullable<Text>,
        totp_enabled_at -> Nullable<Timestamp>,
        totp_last_step -> BigInt,
        token_version -> BigInt,
        is_active -> Bool,
        search -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sms_reminders -> Bool,
        qualification -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_tokens (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    recovery_codes (code_hash) {
        code_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        name -> Text,
        prefix -> Text,
        key_hash -> Text,
        scopes -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        last_used_ip -> Nullable<Text>,
    }
}

diesel::table! {
    auth_attempts (id) {
        id -> BigInt,
        bucket -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        details -> Text,
        prev_hash -> Text,
        hash -> Text,
        chain_version -> BigInt,
        ip_mac -> Nullable<Text>,
    }
}

diesel::table! {
    bilans (id) {
        id -> Text,
        beneficiary_id -> Text,
        status -> Text,
        funding -> Text,
        format -> Text,
        planned_minutes -> BigInt,
        abandon_reason -> Nullable<Text>,
        status_changed_at -> Timestamp,
        content_destroyed_at -> Nullable<Timestamp>,
        retention_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        planned_end_on -> Nullable<Date>,
        external_ref -> Nullable<Text>,
    }
}

diesel::table! {
    bilan_keys (bilan_id) {
        bilan_id -> Text,
        wrapped -> Nullable<Binary>,
        destroyed_at -> Nullable<Timestamp>,
        wrapping_key_id -> Nullable<Text>,
    }
}

diesel::table! {
    wrapping_keys (id) {
        id -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
        destroyed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    bilan_consultants (id) {
        id -> Text,
        bilan_id -> Text,
        consultant_id -> Text,
        assigned_by -> Nullable<Text>,
        assigned_at -> Timestamp,
        unassigned_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    bilan_facts (id) {
        id -> Text,
        bilan_id -> Text,
        kind -> Text,
        occurred_on -> Date,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    bilan_sessions (id) {
        id -> Text,
        bilan_id -> Text,
        kind -> Text,
        phase -> Text,
        mode -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        minutes -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bilan_consents (id) {
        id -> Text,
        bilan_id -> Text,
        kind -> Text,
        recipient -> Nullable<Text>,
        scope -> Nullable<Text>,
        retention_months -> Nullable<BigInt>,
        statement -> Text,
        given_by -> Text,
        given_at -> Timestamp,
        ip -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
        kept -> Nullable<Text>,
    }
}

diesel::table! {
    bilan_notes (id) {
        id -> Text,
        bilan_id -> Text,
        session_id -> Nullable<Text>,
        phase -> Text,
        author_id -> Text,
        shared_with_beneficiary -> Bool,
        body -> Nullable<Binary>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bilan_events (id) {
        id -> Text,
        bilan_id -> Text,
        at -> Timestamp,
        kind -> Text,
        actor_id -> Nullable<Text>,
        details -> Text,
        content -> Bool,
    }
}

diesel::table! {
    beneficiary_profiles (user_id) {
        user_id -> Text,
        date_of_birth -> Nullable<Date>,
        situation -> Text,
        current_job -> Nullable<Text>,
        education_level -> Nullable<Text>,
        employer_name -> Nullable<Text>,
        employer_siret -> Nullable<Text>,
        employer_contact -> Nullable<Text>,
        cep_adviser -> Nullable<Text>,
        accessibility_consent_at -> Nullable<Timestamp>,
        accessibility_needs -> Nullable<Binary>,
        updated_at -> Timestamp,
        external_ref -> Nullable<Text>,
    }
}

diesel::table! {
    bilan_files (id) {
        id -> Text,
        bilan_id -> Text,
        name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        uploaded_by -> Text,
        created_at -> Timestamp,
        destroyed_at -> Nullable<Timestamp>,
        name_sealed -> Nullable<Binary>,
    }
}

diesel::table! {
    issued_documents (id) {
        id -> Text,
        bilan_id -> Text,
        kind -> Text,
        version -> BigInt,
        title -> Text,
        sha256 -> Text,
        size -> BigInt,
        issued_by -> Text,
        issued_at -> Timestamp,
    }
}

diesel::table! {
    signature_requests (id) {
        id -> Text,
        document_id -> Text,
        bilan_id -> Text,
        status -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        answer_by -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
        signed_sha256 -> Nullable<Text>,
        signed_size -> Nullable<BigInt>,
    }
}

diesel::table! {
    signature_signers (id) {
        id -> Text,
        request_id -> Text,
        position -> Integer,
        role -> Text,
        user_id -> Nullable<Text>,
        name -> Text,
        email -> Text,
        phone -> Nullable<Text>,
        token_hash -> Text,
        invited_at -> Nullable<Timestamp>,
        reminded_at -> Nullable<Timestamp>,
        code_hash -> Nullable<Text>,
        code_channel -> Nullable<Text>,
        code_sent_at -> Nullable<Timestamp>,
        code_attempts -> Integer,
        signed_at -> Nullable<Timestamp>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        consent_text -> Nullable<Text>,
        identity_checks -> Nullable<Text>,
    }
}

diesel::table! {
    bilan_projection (id) {
        id -> Text,
        bilan_id -> Text,
        kind -> Text,
        body -> Nullable<Binary>,
        created_by -> Text,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    conversations (id) {
        id -> Text,
        kind -> Text,
        bilan_id -> Nullable<Text>,
        created_at -> Timestamp,
        last_message_at -> Nullable<Timestamp>,
        pair_key -> Nullable<Text>,
    }
}

diesel::table! {
    /// The two members of a direct thread between staff members (`crate::messages::direct`).
    conversation_members (conversation_id, user_id) {
        conversation_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    conversation_messages (id) {
        id -> Text,
        conversation_id -> Text,
        author_id -> Text,
        body -> Nullable<Binary>,
        attachment_id -> Nullable<Text>,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    conversation_reads (conversation_id, user_id) {
        conversation_id -> Text,
        user_id -> Text,
        read_up_to -> Nullable<Timestamp>,
        read_message_id -> Nullable<Text>,
        notified_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    bilan_access_log (id) {
        id -> Text,
        bilan_id -> Text,
        reader_id -> Text,
        reader_role -> Text,
        what -> Text,
        item_id -> Nullable<Text>,
        at -> Timestamp,
        reported_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    availabilities (consultant_id) {
        consultant_id -> Text,
        document -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    appointments (id) {
        id -> Text,
        bilan_id -> Text,
        consultant_id -> Text,
        beneficiary_id -> Text,
        kind -> Text,
        mode -> Text,
        place -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        buffer_minutes -> BigInt,
        status -> Text,
        room -> Nullable<Text>,
        attendance_secret -> Text,
        absent -> Nullable<Text>,
        session_id -> Nullable<Text>,
        booked_by -> Text,
        cancelled_at -> Nullable<Timestamp>,
        cancel_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    appointment_cells (holder_id, cell) {
        holder_id -> Text,
        cell -> BigInt,
        appointment_id -> Text,
    }
}

diesel::table! {
    attendance_signatures (id) {
        id -> Text,
        appointment_id -> Text,
        user_id -> Text,
        party -> Text,
        method -> Text,
        signed_at -> Timestamp,
        ip -> Nullable<Text>,
        session_id -> Text,
    }
}

diesel::table! {
    video_events (id) {
        id -> Text,
        appointment_id -> Text,
        user_id -> Text,
        event -> Text,
        at -> Timestamp,
        ip -> Nullable<Text>,
    }
}

diesel::table! {
    calendar_feeds (user_id) {
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        channel -> Text,
        recipient -> Text,
        kind -> Text,
        subject -> Text,
        body -> Text,
        ics -> Nullable<Text>,
        appointment_id -> Nullable<Text>,
        status -> Text,
        attempts -> BigInt,
        not_before -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        secret -> Nullable<Binary>,
    }
}

diesel::table! {
    instruments (id, version) {
        id -> Text,
        version -> BigInt,
        kind -> Text,
        definition -> Text,
        digest -> Text,
        custom -> Bool,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assessments (id) {
        id -> Text,
        bilan_id -> Text,
        instrument_id -> Text,
        instrument_version -> BigInt,
        status -> Text,
        answered -> BigInt,
        required_missing -> BigInt,
        answers -> Nullable<Binary>,
        assigned_by -> Text,
        assigned_at -> Timestamp,
        updated_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        interpretation -> Nullable<Binary>,
        interpretation_by -> Nullable<Text>,
        interpretation_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    payers (id) {
        id -> Text,
        kind -> Text,
        name -> Text,
        siret -> Nullable<Text>,
        vat_number -> Nullable<Text>,
        address -> Text,
        contact_name -> Text,
        email -> Text,
        user_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        external_ref -> Nullable<Text>,
    }
}

diesel::table! {
    fundings (id) {
        id -> Text,
        bilan_id -> Text,
        payer_id -> Text,
        amount_cents -> BigInt,
        agreement_number -> Nullable<Text>,
        agreement_date -> Nullable<Date>,
        status -> Text,
        subrogation -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    invoice_counters (series, year) {
        series -> Text,
        year -> BigInt,
        last_seq -> BigInt,
    }
}

diesel::table! {
    invoices (id) {
        id -> Text,
        kind -> Text,
        series -> Text,
        year -> BigInt,
        seq -> BigInt,
        number -> Text,
        bilan_id -> Text,
        funding_id -> Nullable<Text>,
        corrects_invoice_id -> Nullable<Text>,
        payer_id -> Text,
        buyer -> Text,
        buyer_name -> Text,
        buyer_user_id -> Nullable<Text>,
        beneficiary_name -> Text,
        seller -> Text,
        issue_date -> Date,
        due_date -> Date,
        service_from -> Nullable<Date>,
        service_to -> Nullable<Date>,
        lines -> Text,
        total_excl_vat_cents -> BigInt,
        vat_rate_bp -> BigInt,
        vat_cents -> BigInt,
        total_cents -> BigInt,
        vat_mention -> Nullable<Text>,
        purchase_order -> Nullable<Text>,
        late_penalty_rate -> Text,
        reason -> Nullable<Text>,
        sha256 -> Text,
        size -> BigInt,
        issued_by -> Text,
        issued_at -> Timestamp,
    }
}

diesel::table! {
    quote_counters (year) {
        year -> BigInt,
        last_seq -> BigInt,
    }
}

diesel::table! {
    quotes (id) {
        id -> Text,
        year -> BigInt,
        seq -> BigInt,
        number -> Text,
        bilan_id -> Text,
        funding_id -> Nullable<Text>,
        payer_id -> Text,
        buyer -> Text,
        buyer_user_id -> Nullable<Text>,
        beneficiary_name -> Text,
        seller -> Text,
        issue_date -> Date,
        valid_until -> Date,
        lines -> Text,
        total_excl_vat_cents -> BigInt,
        vat_rate_bp -> BigInt,
        vat_cents -> BigInt,
        total_cents -> BigInt,
        vat_mention -> Nullable<Text>,
        status -> Text,
        acceptance_method -> Nullable<Text>,
        signer_name -> Nullable<Text>,
        signer_role -> Nullable<Text>,
        signed_on -> Nullable<Date>,
        accepted_at -> Nullable<Timestamp>,
        accepted_by -> Nullable<Text>,
        decline_reason -> Nullable<Text>,
        invoice_id -> Nullable<Text>,
        sha256 -> Text,
        size -> BigInt,
        issued_by -> Text,
        issued_at -> Timestamp,
    }
}

diesel::table! {
    payments (id) {
        id -> Text,
        invoice_id -> Text,
        amount_cents -> BigInt,
        method -> Text,
        paid_on -> Date,
        reference -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    invoice_reminders (invoice_id, level) {
        invoice_id -> Text,
        level -> BigInt,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    retention_rules (class) {
        class -> Text,
        months_after_end -> BigInt,
        min_months -> BigInt,
        max_months -> BigInt,
        label -> Text,
        basis -> Text,
        updated_by -> Nullable<Text>,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    destruction_runs (id) {
        id -> Text,
        ran_at -> Timestamp,
        source -> Text,
        ran_by -> Nullable<Text>,
        items -> BigInt,
    }
}

diesel::table! {
    destruction_items (id) {
        id -> Text,
        run_id -> Text,
        position -> BigInt,
        what -> Text,
        class -> Text,
        rule -> Text,
        bilan_reference -> Nullable<Text>,
        destroyed_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(signature_signers -> signature_requests (request_id));
diesel::joinable!(signature_requests -> issued_documents (document_id));
diesel::joinable!(synthesis_sendings -> issued_documents (document_id));
diesel::joinable!(destruction_items -> destruction_runs (run_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(user_tokens -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(bilans -> users (beneficiary_id));
diesel::joinable!(bilan_consultants -> bilans (bilan_id));
diesel::joinable!(conversation_messages -> conversations (conversation_id));

diesel::table! {
    /// Answers kept for `Idempotency-Key` retries (`crate::idempotency`).
    idempotency_keys (principal, key) {
        principal -> Text,
        key -> Text,
        fingerprint -> Text,
        path -> Text,
        status -> Nullable<Integer>,
        content_type -> Nullable<Text>,
        location -> Nullable<Text>,
        body -> Nullable<Binary>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// CPF files (`crate::cpf`).
    cpf_files (bilan_id) {
        bilan_id -> Text,
        edof_number -> Text,
        state -> Text,
        state_since -> Date,
        requested_on -> Date,
        amount_cents -> BigInt,
        participation_exempt -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    cpf_file_steps (id) {
        id -> Text,
        bilan_id -> Text,
        from_state -> Nullable<Text>,
        to_state -> Text,
        occurred_on -> Date,
        actor_id -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(cpf_files -> bilans (bilan_id));

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        url -> Text,
        description -> Nullable<Text>,
        events -> Text,
        secret -> Text,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        consecutive_failures -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_delivery_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_events (id) {
        id -> Text,
        kind -> Text,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        event_id -> Text,
        status -> Text,
        attempts -> Text,
        attempt_count -> BigInt,
        next_attempt_at -> Nullable<Timestamp>,
        claimed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
        replay_of -> Nullable<Text>,
    }
}

diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_deliveries -> webhook_events (event_id));

diesel::table! {
    /// The shared resources library (`crate::resources`).
    resources (id) {
        id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        kind -> Text,
        audience -> Text,
        url -> Nullable<Text>,
        file_id -> Nullable<Text>,
        file_name -> Nullable<Text>,
        content_type -> Nullable<Text>,
        size -> Nullable<BigInt>,
        sha256 -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        archived_at -> Nullable<Timestamp>,
        search -> Text,
    }
}

diesel::table! {
    resource_tags (resource_id, tag) {
        resource_id -> Text,
        tag -> Text,
    }
}

diesel::table! {
    resource_shares (resource_id, beneficiary_id) {
        resource_id -> Text,
        beneficiary_id -> Text,
        shared_by -> Text,
        shared_at -> Timestamp,
    }
}

diesel::table! {
    resource_accesses (id) {
        id -> Text,
        resource_id -> Text,
        user_id -> Text,
        at -> Timestamp,
    }
}

diesel::joinable!(conversation_members -> conversations (conversation_id));
diesel::joinable!(resource_tags -> resources (resource_id));
diesel::joinable!(resource_shares -> resources (resource_id));
diesel::joinable!(resource_accesses -> resources (resource_id));

diesel::table! {
    /// The document de synthèse being written (`crate::synthesis`): sections sealed under the bilan's key.
    syntheses (bilan_id) {
        bilan_id -> Text,
        status -> Text,
        revision -> BigInt,
        body -> Nullable<Binary>,
        updated_by -> Text,
        updated_at -> Timestamp,
        submitted_revision -> Nullable<BigInt>,
        submitted_at -> Nullable<Timestamp>,
        approved_revision -> Nullable<BigInt>,
        approved_at -> Nullable<Timestamp>,
        issued_document_id -> Nullable<Text>,
        issued_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Comments on the synthèse, sealed under the bilan's key.
    synthesis_comments (id) {
        id -> Text,
        bilan_id -> Text,
        author_id -> Text,
        author_role -> Text,
        section -> Nullable<Text>,
        body -> Nullable<Binary>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// The synthèse sent to a recipient named in a `share` agreement (`crate::synthesis::sending`).
    synthesis_sendings (id) {
        id -> Text,
        bilan_id -> Text,
        document_id -> Text,
        consent_id -> Text,
        recipient -> Text,
        email -> Text,
        phone -> Nullable<Text>,
        is_cep -> Bool,
        status -> Text,
        token_hash -> Text,
        code_hash -> Nullable<Text>,
        code_channel -> Nullable<Text>,
        code_sent_at -> Nullable<Timestamp>,
        code_attempts -> Integer,
        expires_at -> Timestamp,
        sent_by -> Text,
        sent_at -> Timestamp,
        downloaded_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        title -> Text,
        subject -> Nullable<Text>,
        link -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notification_preferences (user_id, kind) {
        user_id -> Text,
        kind -> Text,
        in_app -> Bool,
        email -> Bool,
        sms -> Bool,
    }
}

diesel::table! {
    document_templates (id) {
        id -> Text,
        kind -> Text,
        version -> BigInt,
        sections -> Text,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    users,
    signature_requests,
    signature_signers,
    sessions,
    refresh_tokens,
    user_tokens,
    recovery_codes,
    api_keys,
    auth_attempts,
    settings,
    audit_log,
    bilans,
    bilan_keys,
    bilan_consultants,
    bilan_facts,
    bilan_sessions,
    bilan_consents,
    bilan_notes,
    bilan_events,
    beneficiary_profiles,
    bilan_files,
    bilan_access_log,
    bilan_projection,
    idempotency_keys,
    conversations,
    conversation_messages,
    conversation_reads,
    conversation_members,
    issued_documents,
    availabilities,
    appointments,
    appointment_cells,
    attendance_signatures,
    video_events,
    calendar_feeds,
    outbox,
    wrapping_keys,
    instruments,
    assessments,
    cpf_files,
    cpf_file_steps,
    payers,
    fundings,
    invoice_counters,
    invoices,
    payments,
    invoice_reminders,
    quote_counters,
    quotes,
    webhook_endpoints,
    webhook_events,
    webhook_deliveries,
    resources,
    resource_tags,
    resource_shares,
    resource_accesses,
    notifications,
    notification_preferences,
    syntheses,
    synthesis_comments,
    synthesis_sendings,
    document_templates,
    retention_rules,
    destruction_runs,
    destruction_items,
);
