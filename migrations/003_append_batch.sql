-- tiendo_append_batch: group commit. Several appends to DIFFERENT streams (the adapter never puts two
-- appends of one stream, or of one command id, in a batch) in one round trip and one transaction,
-- with a fixed number of statements whatever the batch size: one read of the commands, one of the
-- streams, then one insert each into streams, commands and events. Each append keeps its own
-- outcome: it is written, a duplicate of an earlier command, or refused (wrong expected revision,
-- command id reused) without failing the others.
--
-- The ordering guarantee of tiendo_append holds: every stream of the batch is locked (in one global
-- order, so two batches cannot deadlock) BEFORE the first write gives the transaction its id.
--
-- p_items: a JSON array of {s: stream, x: expected, c: command id, h: command hash, ids, types,
-- versions, data, metadata, digests} (the last six arrays, one element per event).
-- One row per item (idx from 1): status 'written' | 'duplicate' | 'conflict' | 'reused'. A final row
-- with idx 0 lists the written event ids and their global positions.

CREATE FUNCTION tiendo_append_batch(p_items jsonb)
RETURNS TABLE (
  idx           integer,
  status        text,
  stream        text,
  next_revision integer,
  tx            text,
  hashes        text[],
  original      jsonb,
  actual        integer,
  event_ids     text[],
  positions     bigint[]
)
LANGUAGE plpgsql
-- Every read here is a point lookup by key. Planner statistics lag behind tables that grow from
-- empty (measured: a sequential scan of `commands` per batch, slower with every command), so the
-- plan is pinned to the indexes.
SET enable_seqscan = off
AS $$
#variable_conflict use_column
DECLARE
  v_items    jsonb[] := ARRAY(SELECT jsonb_array_elements(p_items));
  v_item     jsonb;
  v_key      bigint;
  v_commands jsonb;
  v_command_ids text[];
  v_streams  jsonb;
  v_cmd      jsonb;
  v_state    jsonb;
  v_last     integer;
  v_hash     bytea;
  v_expected text;
  v_count    integer;
  v_j        integer;
  v_hashes   text[];
  -- accumulated writes
  w_streams  text[] := '{}';
  w_revs     integer[] := '{}';
  w_heads    bytea[] := '{}';
  c_ids      text[] := '{}';
  c_hashes   text[] := '{}';
  c_streams  text[] := '{}';
  c_firsts   integer[] := '{}';
  c_lasts    integer[] := '{}';
  e_ids      text[] := '{}';
  e_streams  text[] := '{}';
  e_revs     integer[] := '{}';
  e_types    text[] := '{}';
  e_versions integer[] := '{}';
  e_data     jsonb[] := '{}';
  e_meta     jsonb[] := '{}';
  e_digests  bytea[] := '{}';
  e_hashes   bytea[] := '{}';
  v_tx       text;
BEGIN
  FOR v_key IN
    SELECT DISTINCT hashtextextended(i ->> 's', 0) FROM unnest(v_items) i ORDER BY 1
  LOOP
    PERFORM pg_advisory_xact_lock(v_key);
  END LOOP;

  v_command_ids := ARRAY(SELECT i ->> 'c' FROM unnest(v_items) i WHERE i ->> 'c' IS NOT NULL);
  v_commands := '{}';
  IF cardinality(v_command_ids) > 0 THEN
    SELECT coalesce(jsonb_object_agg(c.command_id, jsonb_build_array(c.command_hash, c.stream, c.first_revision, c.last_revision)), '{}')
      INTO v_commands
      FROM commands c
     WHERE c.command_id = ANY (v_command_ids);
  END IF;

  SELECT coalesce(jsonb_object_agg(s.stream, jsonb_build_array(s.last_revision, encode(s.last_hash, 'hex'))), '{}')
    INTO v_streams
    FROM streams s
   WHERE s.stream = ANY (ARRAY(SELECT i ->> 's' FROM unnest(v_items) i));

  FOR v_j IN 1 .. coalesce(array_length(v_items, 1), 0) LOOP
    v_item := v_items[v_j];
    idx := v_j;
    stream := v_item ->> 's';
    tx := NULL; hashes := NULL; original := NULL; actual := NULL; event_ids := NULL; positions := NULL;

    v_cmd := CASE WHEN v_item ->> 'c' IS NULL THEN NULL ELSE v_commands -> (v_item ->> 'c') END;
    IF v_cmd IS NOT NULL THEN
      IF (v_cmd ->> 0) IS DISTINCT FROM (v_item ->> 'h') THEN
        status := 'reused';
        next_revision := NULL;
      ELSE
        status := 'duplicate';
        stream := v_cmd ->> 1;
        next_revision := (v_cmd ->> 3)::integer;
        original := tiendo_command_events(v_cmd ->> 1, (v_cmd ->> 2)::integer, (v_cmd ->> 3)::integer);
      END IF;
      RETURN NEXT;
      CONTINUE;
    END IF;

    v_state := v_streams -> stream;
    IF v_state IS NULL THEN
      v_last := -1;
      v_hash := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    ELSE
      v_last := (v_state ->> 0)::integer;
      v_hash := decode(v_state ->> 1, 'hex');
    END IF;

    v_expected := v_item ->> 'x';
    IF NOT (v_expected = 'any'
            OR (v_expected = 'no_stream' AND v_last = -1)
            OR (v_expected = 'stream_exists' AND v_last >= 0)
            OR (v_expected ~ '^[0-9]+$' AND v_expected::integer = v_last)) THEN
      status := 'conflict';
      actual := v_last;
      next_revision := v_last;
      RETURN NEXT;
      CONTINUE;
    END IF;

    v_count := jsonb_array_length(v_item -> 'ids');
    next_revision := v_last + v_count;
    status := 'written';
    v_hashes := '{}';
    FOR v_k IN 0 .. v_count - 1 LOOP
      v_hash := sha256(v_hash || decode(v_item -> 'digests' ->> v_k, 'hex'));
      v_hashes := v_hashes || encode(v_hash, 'hex');
      e_ids := e_ids || (v_item -> 'ids' ->> v_k);
      e_streams := e_streams || stream;
      e_revs := e_revs || (v_last + 1 + v_k);
      e_types := e_types || (v_item -> 'types' ->> v_k);
      e_versions := e_versions || (v_item -> 'versions' ->> v_k)::integer;
      e_data := e_data || (v_item -> 'data' -> v_k);
      e_meta := e_meta || (v_item -> 'metadata' -> v_k);
      e_digests := e_digests || decode(v_item -> 'digests' ->> v_k, 'hex');
      e_hashes := e_hashes || v_hash;
    END LOOP;
    hashes := v_hashes;
    IF v_count > 0 THEN
      w_streams := w_streams || stream;
      w_revs := w_revs || next_revision;
      w_heads := w_heads || v_hash;
      IF v_item ->> 'c' IS NOT NULL THEN
        c_ids := c_ids || (v_item ->> 'c');
        c_hashes := c_hashes || (v_item ->> 'h');
        c_streams := c_streams || stream;
        c_firsts := c_firsts || (v_last + 1);
        c_lasts := c_lasts || next_revision;
      END IF;
    END IF;
    RETURN NEXT;
  END LOOP;

  IF array_length(w_streams, 1) IS NULL THEN
    RETURN;
  END IF;

  -- The first write: the transaction gets its id here, after every lock of the batch.
  INSERT INTO streams AS s (stream, last_revision, last_hash)
  SELECT * FROM unnest(w_streams, w_revs, w_heads)
  ON CONFLICT (stream) DO UPDATE SET last_revision = excluded.last_revision, last_hash = excluded.last_hash;

  IF array_length(c_ids, 1) IS NOT NULL THEN
    INSERT INTO commands (command_id, command_hash, stream, first_revision, last_revision)
    SELECT * FROM unnest(c_ids, c_hashes, c_streams, c_firsts, c_lasts);
  END IF;

  v_tx := pg_current_xact_id()::text;
  WITH written AS (
    INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata, digest, hash)
    SELECT e.id, e.stream, e.rev, e.type, e.version, e.data, e.meta, e.digest, e.hash
      FROM unnest(e_ids, e_streams, e_revs, e_types, e_versions, e_data, e_meta, e_digests, e_hashes)
           WITH ORDINALITY AS e(id, stream, rev, type, version, data, meta, digest, hash, n)
     ORDER BY e.n
    RETURNING events.event_id, events.global_position
  )
  SELECT array_agg(w.event_id), array_agg(w.global_position) INTO event_ids, positions FROM written w;
  idx := 0; status := 'positions'; stream := NULL; next_revision := NULL; tx := v_tx;
  hashes := NULL; original := NULL; actual := NULL;
  RETURN NEXT;
END
$$;
