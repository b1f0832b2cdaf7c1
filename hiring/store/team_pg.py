"""The team's rules, enforced by PostgreSQL itself: group roles, grants, row-level security.

``hiring db init-team`` (run once by the owner of the tables, again after an upgrade adds
tables: ``migrate`` re-applies it) sets up:

- group roles ``hiring_recruiter``, ``hiring_interviewer``, ``hiring_manager`` (cluster-wide
  names, as PostgreSQL roles are); ``hiring team add --login L`` creates the login L when
  missing and makes it a member of the groups of its roster roles;
- grants: everyone reads the tables; recruiters write candidates, interviews, scores and the
  roster; interviewers write interviews, ratings and recommendations (row-level security
  keeps them to their own); managers write consensus; everyone appends to the audit log and
  nobody but the owner may change or delete an audit row;
- row-level security on ratings, recommendations and audit rows of interviews: the same
  rule as ``team.visible_interviews_sql`` (own scorecards; nothing more of a candidate and
  round while one's own scorecard there is open; others' drafts never, except to
  recruiters; managers read submitted scorecards; interviewers those of a candidate and
  round once their own there is submitted);
- a trigger that sets the audit row's ``login``, ``member`` and ``actor``, whatever the
  client sends.

Who the user is: ``session_user``, the login that authenticated (``SET ROLE`` to a group
cannot change it); ``current_user`` is the same for a login that connects directly.

The owner of the tables bypasses row-level security (PostgreSQL's rule): the owner is the
team's administrator, not a member who rates.
"""

from __future__ import annotations

from hiring.errors import StoreError
from hiring.store.db import Store

GROUPS = {"recruiter": "hiring_recruiter", "interviewer": "hiring_interviewer",
          "manager": "hiring_manager"}
ALL_GROUPS = ", ".join(GROUPS.values())

# Tables each group may write (beyond SELECT on every table); row-level security narrows
# interviewers' writes to their own interviews.
WRITES: dict[str, dict[str, str]] = {
    "hiring_recruiter": {
        "candidates": "INSERT, UPDATE, DELETE",
        "interviews": "INSERT, UPDATE, DELETE",
        "ratings": "INSERT, UPDATE, DELETE",
        "recommendations": "INSERT, UPDATE, DELETE",
        "consensus": "INSERT, UPDATE, DELETE",
        "candidate_files": "INSERT, UPDATE, DELETE",
        "erasures_pending": "INSERT, UPDATE, DELETE",
        "team_members": "INSERT, UPDATE",
    },
    "hiring_interviewer": {
        # UPDATE on candidates only to lock a candidate's row while writing about them
        # (SELECT ... FOR UPDATE needs it): a policy refuses every actual change.
        "candidates": "UPDATE",
        "interviews": "INSERT, UPDATE",
        "ratings": "INSERT, UPDATE, DELETE",
        "recommendations": "INSERT, UPDATE, DELETE",
        "consensus": "INSERT, UPDATE",
        "candidate_files": "INSERT",
    },
    "hiring_manager": {
        "candidates": "UPDATE",
        "consensus": "INSERT, UPDATE",
    },
}
# Tables other parts add: granted when they exist (decisions, group data, outcomes...).
OPTIONAL_WRITES: dict[str, dict[str, str]] = {
    "hiring_recruiter": {"stage_decisions": "INSERT, UPDATE, DELETE",
                         "group_data": "INSERT, UPDATE, DELETE",
                         "outcomes": "INSERT, UPDATE, DELETE",
                         "reminders": "INSERT, UPDATE, DELETE"},
    "hiring_manager": {"stage_decisions": "INSERT, UPDATE", "outcomes": "INSERT, UPDATE"},
    "hiring_interviewer": {},
}
# Readable only by these groups (special-category data, issue 25).
RESTRICTED_READS = {"group_data": ("hiring_recruiter", "hiring_manager"),
                    "outcomes": ("hiring_recruiter", "hiring_manager")}

_FUNCTIONS = [
    # The roster member of the login running the statement (NULL when not on the roster).
    """CREATE OR REPLACE FUNCTION hiring_me() RETURNS text LANGUAGE sql STABLE
    SET search_path FROM CURRENT AS $$
      SELECT name FROM team_members WHERE login = session_user AND removed IS NULL
      ORDER BY id LIMIT 1
    $$""",
    # May the user running the statement read this interview's ratings, notes and
    # recommendation? (team.visible_interviews_sql is the same rule in the tool.)
    """CREATE OR REPLACE FUNCTION hiring_may_read_interview(iid bigint) RETURNS boolean
    LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
      SELECT EXISTS (
        SELECT 1 FROM interviews i WHERE i.id = iid AND (
          i.interviewer = hiring_me()
          OR (NOT EXISTS (SELECT 1 FROM interviews o WHERE o.candidate_id = i.candidate_id
                          AND o.round = i.round AND o.interviewer = hiring_me()
                          AND o.cancelled IS NULL AND o.submitted IS NULL)
              AND (pg_has_role(session_user, 'hiring_recruiter', 'MEMBER')
                   OR (i.submitted IS NOT NULL
                       AND (pg_has_role(session_user, 'hiring_manager', 'MEMBER')
                            OR EXISTS (SELECT 1 FROM interviews o
                                       WHERE o.candidate_id = i.candidate_id
                                       AND o.round = i.round AND o.interviewer = hiring_me()
                                       AND o.cancelled IS NULL
                                       AND o.submitted IS NOT NULL)))))))
    $$""",
    # May the user write into this interview's scorecard? Their own, or any as a recruiter.
    """CREATE OR REPLACE FUNCTION hiring_may_write_interview(iid bigint) RETURNS boolean
    LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
      SELECT pg_has_role(session_user, 'hiring_recruiter', 'MEMBER') OR EXISTS (
        SELECT 1 FROM interviews i WHERE i.id = iid AND i.interviewer = hiring_me())
    $$""",
    # Who wrote an audit row: set by the server, whatever the client sent.
    """CREATE OR REPLACE FUNCTION hiring_audit_who() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    BEGIN
      NEW.login := session_user;
      NEW.member := hiring_me();
      NEW.actor := COALESCE(NEW.member, session_user);
      RETURN NEW;
    END $$""",
    # How many ratings there are per (candidate status, role, round, competency,
    # candidate), and whether the user may read them: run with the owner's rights so a
    # command can say how many it could not show (nothing left out silently); it reveals
    # counts, never scores or notes.
    """CREATE OR REPLACE FUNCTION hiring_rating_groups()
    RETURNS TABLE (status text, role text, round text, competency text, candidate_id bigint,
                   visible integer, n bigint)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
      WITH v AS (SELECT i.id, CASE WHEN hiring_may_read_interview(i.id) THEN 1 ELSE 0 END
                 AS visible FROM interviews i)
      SELECT c.status, i.role, i.round, r.competency, i.candidate_id, v.visible, COUNT(*)
      FROM ratings r JOIN interviews i ON i.id = r.interview_id
      JOIN candidates c ON c.id = i.candidate_id JOIN v ON v.id = i.id
      GROUP BY c.status, i.role, i.round, r.competency, i.candidate_id, v.visible
    $$""",
    # Erase marks free text in audit rows removed: the one update ever made to the audit
    # table, run with the owner's rights for recruiters (who may not update audit rows).
    """CREATE OR REPLACE FUNCTION hiring_erase_audit_text(cid bigint) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$
      UPDATE audit SET
        old_value = CASE WHEN old_value IS NULL THEN NULL ELSE '[erased]' END,
        new_value = CASE WHEN new_value IS NULL THEN NULL ELSE '[erased]' END
      WHERE candidate_id = cid AND action IN ('rating.note', 'interview.cancel',
                                              'decision.note', 'outcome.set')
    $$""",
    # Create a login when missing and give it exactly the groups of its roster roles; run
    # with the owner's rights so recruiters can manage the team without CREATEROLE.
    """CREATE OR REPLACE FUNCTION hiring_sync_login(login text, groups text[]) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE
      created text := '';
      g text;
    BEGIN
      IF login IS NULL OR login = '' OR login LIKE 'pg\\_%' THEN
        RAISE EXCEPTION 'hiring: % is not a login a team member can have', login;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', login);
        created := 'created';
      END IF;
      FOREACH g IN ARRAY ARRAY['hiring_recruiter', 'hiring_interviewer', 'hiring_manager'] LOOP
        IF g = ANY(groups) THEN
          EXECUTE format('GRANT %I TO %I', g, login);
        ELSIF pg_has_role(login, g, 'MEMBER') THEN
          EXECUTE format('REVOKE %I FROM %I', g, login);
        END IF;
      END LOOP;
      RETURN created;
    END $$""",
]


def _policies(schema: str) -> list[str]:
    everyone = ALL_GROUPS
    may_read = "hiring_may_read_interview(interview_id)"
    may_write = "hiring_may_write_interview(interview_id)"
    statements = []
    for table in ("candidates", "interviews", "ratings", "recommendations", "audit"):
        statements.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        statements.append(
            f"SELECT format('DROP POLICY IF EXISTS %I ON %I.{table}', polname, "
            f"'{schema}') FROM pg_policy WHERE polrelid = '{schema}.{table}'::regclass")
    statements += [
        f"CREATE POLICY hiring_read ON candidates FOR SELECT TO {everyone} USING (true)",
        "CREATE POLICY hiring_write ON candidates FOR ALL TO hiring_recruiter "
        "USING (true) WITH CHECK (true)",
        # Interviewers and managers lock a candidate's row while writing about them; any
        # actual change is refused (WITH CHECK false).
        "CREATE POLICY hiring_lock ON candidates FOR UPDATE TO hiring_interviewer, "
        "hiring_manager USING (true) WITH CHECK (false)",
        f"CREATE POLICY hiring_read ON interviews FOR SELECT TO {everyone} USING (true)",
        "CREATE POLICY hiring_write ON interviews FOR ALL TO hiring_recruiter "
        "USING (true) WITH CHECK (true)",
        "CREATE POLICY hiring_own_insert ON interviews FOR INSERT TO hiring_interviewer "
        "WITH CHECK (interviewer = hiring_me())",
        "CREATE POLICY hiring_own_update ON interviews FOR UPDATE TO hiring_interviewer "
        "USING (interviewer = hiring_me()) WITH CHECK (interviewer = hiring_me())",
    ]
    for table in ("ratings", "recommendations"):
        statements += [
            f"CREATE POLICY hiring_read ON {table} FOR SELECT TO {everyone} USING ({may_read})",
            f"CREATE POLICY hiring_insert ON {table} FOR INSERT TO hiring_recruiter, "
            f"hiring_interviewer WITH CHECK ({may_write})",
            f"CREATE POLICY hiring_update ON {table} FOR UPDATE TO hiring_recruiter, "
            f"hiring_interviewer USING ({may_write}) WITH CHECK ({may_write})",
            f"CREATE POLICY hiring_delete ON {table} FOR DELETE TO hiring_recruiter, "
            f"hiring_interviewer USING ({may_write})",
        ]
    statements += [
        f"CREATE POLICY hiring_read ON audit FOR SELECT TO {everyone} "
        f"USING (interview_id IS NULL OR {may_read})",
        f"CREATE POLICY hiring_append ON audit FOR INSERT TO {everyone} WITH CHECK (true)",
    ]
    return statements


def _ddl(store: Store, sql: str) -> list[tuple[object, ...]]:
    """Run one statement without parameters (its % signs are SQL's, not placeholders)."""
    with store.driver_errors():
        cursor = store.connection.cursor()
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []


def owner_of_tables(store: Store) -> tuple[str, bool]:
    """(the owner of the tables, whether the current user acts as them)."""
    row = store.one(
        "SELECT pg_get_userbyid(c.relowner), pg_has_role(current_user, c.relowner, 'MEMBER') "
        "FROM pg_class c WHERE c.oid = to_regclass('ratings')")
    if row is None:
        raise StoreError("the hiring tables are missing from this database")
    return str(row[0]), bool(row[1])


def is_set_up(store: Store) -> bool:
    """Has ``db init-team`` run on this database (schema)?"""
    if store.dialect != "postgresql":
        return False
    row = store.one("SELECT to_regprocedure('hiring_may_read_interview(bigint)') IS NOT NULL")
    return bool(row and row[0])


def init_team(store: Store) -> list[str]:
    """Create the group roles, grants, policies and the audit trigger (idempotent).

    Returns what it did, one line each. Refused unless run by the owner of the tables."""
    if store.dialect != "postgresql":
        raise StoreError(
            "db init-team is for PostgreSQL: a SQLite file protects nothing from whoever can "
            "open it, so there the tool applies the team's rules (use PostgreSQL to have "
            "them enforced)")
    owner, acting = owner_of_tables(store)
    user = store.one("SELECT current_user")
    if not acting:
        raise StoreError(
            f"only the owner of the hiring tables ({owner}) can set up the team; you are "
            f"{user[0] if user else '?'}: run 'hiring db init-team' as {owner}")
    done: list[str] = []
    with store.write():
        schema_row = store.one("SELECT current_schema()")
        schema = str(schema_row[0]) if schema_row else "public"
        for group in GROUPS.values():
            # Cluster-wide names: several databases on one server share them.
            _ddl(store,
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                f"'{group}') THEN CREATE ROLE {group} NOLOGIN; END IF; "
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
        done.append(f"group roles: {ALL_GROUPS}")
        for statement in _FUNCTIONS:
            _ddl(store, statement)
        _ddl(store, "REVOKE ALL ON FUNCTION hiring_erase_audit_text(bigint), "
                      "hiring_sync_login(text, text[]) FROM PUBLIC")
        _ddl(store, "GRANT EXECUTE ON FUNCTION hiring_erase_audit_text(bigint), "
                      "hiring_sync_login(text, text[]) TO hiring_recruiter")
        _ddl(store, f'GRANT USAGE ON SCHEMA "{schema}" TO {ALL_GROUPS}')
        tables = [row[0] for row in store.all(
            "SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY tablename",
            {"s": schema})]
        _ddl(store, f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM {ALL_GROUPS}')
        for table in tables:
            readers = RESTRICTED_READS.get(table, tuple(GROUPS.values()))
            _ddl(store, f'GRANT SELECT ON "{table}" TO {", ".join(readers)}')
        _ddl(store, f'GRANT INSERT ON audit TO {ALL_GROUPS}')
        _ddl(store, f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" '
                      f"TO {ALL_GROUPS}")
        for group, grants in WRITES.items():
            for table, privileges in {**grants, **OPTIONAL_WRITES[group]}.items():
                if table in tables:
                    _ddl(store, f'GRANT {privileges} ON "{table}" TO {group}')
        done.append(f"grants on {len(tables)} tables (audit rows: append only)")
        for statement in _policies(schema):
            if statement.startswith("SELECT format("):
                for (drop,) in _ddl(store, statement):
                    _ddl(store, str(drop))
            else:
                _ddl(store, statement)
        done.append("row-level security on candidates, interviews, ratings, recommendations "
                    "and audit")
        _ddl(store, "DROP TRIGGER IF EXISTS hiring_audit_who ON audit")
        _ddl(store, "CREATE TRIGGER hiring_audit_who BEFORE INSERT ON audit "
                      "FOR EACH ROW EXECUTE FUNCTION hiring_audit_who()")
        done.append("audit trigger: login, member and actor set by the server")
        missing = missing_logins(store)
        logins = sorted({str(row[0]) for row in store.all(
            "SELECT login FROM team_members WHERE login IS NOT NULL AND removed IS NULL")}
            - {login for _, login in missing})
        for login in logins:  # existing logins get their groups; none is created here
            sync_login(store, login)
    if logins:
        done.append(f"logins granted their roles from the roster: {', '.join(logins)}")
    done += [missing_login_line(name, login) for name, login in missing]
    return done


def missing_login_line(name: str, login: str) -> str:
    return (f"{name}'s login {login} does not exist on this server: create it with "
            f"'hiring team edit \"{name}\" --login {login}'")


def sync_login(store: Store, login: str) -> str:
    """Give ``login`` exactly the group roles of its roster roles (creating the login when
    missing). Returns 'created' when it created the login."""
    roles: set[str] = set()
    for (listed,) in store.all("SELECT roles FROM team_members WHERE login = :login AND "
                               "removed IS NULL", {"login": login}):
        roles.update(role for role in str(listed).split(",") if role in GROUPS)
    groups = [GROUPS[role] for role in sorted(roles)]
    with store.driver_errors():
        row = store.one("SELECT hiring_sync_login(:login, CAST(:groups AS text[]))",
                        {"login": login, "groups": groups})
    return str(row[0]) if row and row[0] else ""


def revoke_login(store: Store, login: str) -> None:
    """Take every hiring group from a login that left the roster (the login stays)."""
    with store.driver_errors():
        store.one("SELECT hiring_sync_login(:login, CAST(:groups AS text[]))",
                  {"login": login, "groups": []})


def login_notes(store: Store, login: str | None) -> list[str]:
    """What a roster change means for the database login (PostgreSQL), one line each."""
    if store.dialect != "postgresql":
        return []
    if not is_set_up(store):
        return ["note: the team is not set up on this PostgreSQL database yet, so the server "
                "enforces nothing: the owner of the tables runs 'hiring db init-team'"]
    return []


def missing_logins(store: Store) -> list[tuple[str, str]]:
    """(member, login) of roster members whose login does not exist on this server."""
    if store.dialect != "postgresql":
        return []
    return [(str(name), str(login)) for name, login in store.all(
        "SELECT m.name, m.login FROM team_members m WHERE m.login IS NOT NULL AND "
        "m.removed IS NULL AND NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = m.login) "
        "ORDER BY m.name")]
