//! The writer of chat turns: group commit, on SQLite and on PostgreSQL alike.
//!
//! Write transactions run one at a time ([`super::begin_write`]: SQLite's single write
//! lock, on PostgreSQL an advisory lock held until the commit is on disk), and with
//! `synchronous=FULL` (SQLite) or PostgreSQL's default `synchronous_commit=on` every commit
//! waits for an fsync. Committing each turn on its own therefore caps a server at one
//! fsync per turn, however many visitors write at once (PostgreSQL's own `commit_delay`
//! cannot help: the lock admits no second commit to group with). So a single task owns
//! the writing: it takes every turn queued while the previous batch was being written (at
//! most [`MAX_BATCH`]), runs them one after the other in ONE transaction, each inside its
//! own savepoint (ending one turn's savepoint and beginning the next one's are one request
//! to the database, which on SQLite may also carry the next turn's first read, see
//! [`FirstRead`]; the commit releases the last), and commits once; only then does any turn of the batch get its answer. A
//! turn that fails rolls back to its savepoint, so its partial writes vanish while the
//! other turns of the batch commit; when the commit itself fails every turn of the batch
//! fails. Concurrent turns thus share one fsync, and no turn is acknowledged before it is
//! on disk (the idea of group commit, as in PostgreSQL's `commit_delay` or InnoDB's
//! binary log group commit, without a timer: a batch is whatever queued during the
//! previous one). With several server instances on one PostgreSQL database each instance
//! batches its own turns, and the batches of all instances still commit one at a time.
//!
//! A turn that panics (a bug) is rolled back like one that fails; the writer task survives.
//!
//! The writer task runs a turn to its end even when the request that queued it is
//! cancelled (the client went away); the turn is then committed but nobody is told, as
//! with a lost answer (visitor messages are idempotent by id, so a retry finds it).

use super::{Connection, Pool, begin_write_on};
use futures_util::FutureExt;
use sqlx::any::AnyRow;
use sqlx::pool::PoolConnection;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use tokio::sync::{mpsc, oneshot};

/// A boxed future borrowing a connection for `'c`, the shape of a turn's body.
pub type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// Turns per batch, at most; more queued ones go into the next batch.
pub const MAX_BATCH: usize = 256;

/// Name of the counter of turn commits (a batch of several turns counts once).
pub const COMMITS_METRIC: &str = "parlo_turn_commits_total";

/// Hands a turn's answer to its caller once the batch's commit is known (`Err`: the
/// commit failed, with its message).
type Deliver = Box<dyn FnOnce(Result<(), String>) + Send>;
/// Runs a queued turn on the batch's transaction (inside its savepoint, which it begins)
/// and keeps its answer for delivery, with whether it succeeded (else its savepoint is
/// rolled back).
type Run =
    Box<dyn for<'c> FnOnce(&'c mut Connection, &'c mut Savepoint) -> BoxFuture<'c, (bool, Deliver)> + Send>;

/// A queued turn, with its first read when it has one for the turn before to run.
struct Job {
    first_read: Option<FirstRead>,
    run: Run,
}

/// A query of either backend with its arguments, as turns bind them.
pub type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds the parameters of a [`FirstRead`], in order, after those already bound.
pub type Bind = Box<dyn for<'q> FnOnce(AnyQuery<'q>) -> AnyQuery<'q> + Send>;

/// A turn's first read (SQL with parameters `$1, $2, …`, answering rows), given to the
/// writer with the turn so that the turn before it in the batch may run it at the end of
/// its own last request, together with the statements that end its savepoint and begin
/// the next one ([`Savepoint::take_next`]): on SQLite, one hand-off to the connection's
/// thread per turn instead of two. The turn then finds the rows in its savepoint
/// ([`Savepoint::opened`]) and reads them itself otherwise.
pub struct FirstRead {
    /// The read.
    pub sql: &'static str,
    /// Binds its parameters.
    pub bind: Bind,
}

/// The statements a turn runs before its first request: they end the savepoint of the turn
/// before (released, or rolled back when that turn failed) and begin the turn's own. Run
/// them alone ([`Self::begin`]) or first in the text of the turn's first request, then
/// tell [`Self::ran`] (SQLite, where a query may hold several statements: one hand-off to
/// the connection's thread less). The writer goes by what the turn did: a turn that took
/// the statements ([`Self::prefix`]) without telling that they ran leaves the batch in
/// an unknown state, so the whole batch fails; a turn that never took them must have
/// written nothing (its failure then undoes nothing, and the next turn runs them).
pub struct Savepoint {
    /// The statements.
    sql: &'static str,
    /// How far the turn got with them.
    state: Begun,
    /// The rows of this turn's [`FirstRead`], read by the turn before (which then also
    /// began this turn's savepoint).
    opened: Option<Vec<AnyRow>>,
    /// The next turn's [`FirstRead`], until this turn takes it.
    next: Option<FirstRead>,
    /// How far this turn got with the next turn's first read.
    handing: Handing,
}

/// How far a turn got with the next turn's [`FirstRead`].
enum Handing {
    /// Not taken.
    No,
    /// Taken, not (yet) known to have run.
    Unknown,
    /// Ran: its rows, for the next turn.
    Ran(Vec<AnyRow>),
}

/// How far a turn got with its [`Savepoint`] statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Begun {
    /// Not taken: the savepoints are as the turn before left them.
    No,
    /// Taken, not (yet) known to have run.
    Unknown,
    /// Ran.
    Yes,
}

impl Savepoint {
    /// The statements to put first in the text of the turn's first request, `;`-separated
    /// from it (no parameters, no rows). Call [`Self::ran`] once that request returned `Ok`.
    pub fn prefix(&mut self) -> &'static str {
        self.state = Begun::Unknown;
        self.sql
    }

    /// Tells that the request holding [`Self::prefix`] returned `Ok`.
    pub fn ran(&mut self) {
        if self.state == Begun::Unknown {
            self.state = Begun::Yes;
        }
    }

    /// The rows of this turn's [`FirstRead`] when the turn before read them (this turn's
    /// savepoint is then begun, so the turn must not take [`Self::prefix`]); `None` once
    /// taken, or when the turn must read them itself.
    pub fn opened(&mut self) -> Option<Vec<AnyRow>> {
        self.opened.take()
    }

    /// The next turn's [`FirstRead`], for this turn's last request, whose SQL text is `sql`
    /// with `params` parameters bound so far: appends to `sql` the statements that end
    /// this turn's savepoint (released: this turn must not fail after that request) and
    /// begin the next one's, then that read renumbered after those parameters, and
    /// answers how to bind its parameters. `None` (nothing appended) without a next turn
    /// that has one, or before this turn's savepoint began. Once that request returned
    /// `Ok`, hand the rows it answered to [`Self::hand`]; a request that failed leaves the
    /// batch in an unknown state, so the whole batch fails.
    pub fn take_next(&mut self, sql: &mut String, params: usize) -> Option<Bind> {
        if self.state != Begun::Yes {
            return None;
        }
        let next = self.next.take()?;
        sql.push_str("; RELEASE SAVEPOINT parlo_turn; SAVEPOINT parlo_turn; ");
        sql.push_str(&super::shift_params(next.sql, params));
        self.handing = Handing::Unknown;
        Some(next.bind)
    }

    /// Hands the rows of the request that held the next turn's first read to that turn.
    pub fn hand(&mut self, rows: Vec<AnyRow>) {
        if matches!(self.handing, Handing::Unknown) {
            self.handing = Handing::Ran(rows);
        }
    }

    /// Runs the statements as a request of their own, unless they ran already.
    ///
    /// # Errors
    /// A database error (the batch then fails).
    pub async fn begin(&mut self, conn: &mut Connection) -> sqlx::Result<()> {
        if self.state != Begun::Yes {
            sqlx::raw_sql(self.prefix()).execute(conn).await?;
            self.ran();
        }
        Ok(())
    }
}

/// Name of the thread of the writer task. The writer runs on a Tokio runtime of its own,
/// not among the request handlers: each of a turn's requests to the database is answered
/// from the connection's own thread, and on the shared runtime the woken writer would wait
/// behind ready handlers (which only feed it more turns) before it sends the next one,
/// while every turn of its batch waits for it. Measured on 2 cores with 16 visitors (and
/// the writer keeping its connection): ~3,000–3,400 turns/s on its own thread against
/// ~2,300–2,800 on the shared runtime.
pub const WRITER_THREAD: &str = "parlo-writer";

/// Where turns go: the queue of the writer task (see the module docs). Cheap to clone.
#[derive(Clone, Debug)]
pub struct Writer(mpsc::UnboundedSender<Job>);

impl Writer {
    /// The writer of `pool`: starts the writer task on a thread of its own (see
    /// [`WRITER_THREAD`]), which ends when every clone of the writer is dropped.
    ///
    /// # Errors
    /// The operating system refused the thread or its event loop.
    pub fn new(pool: Pool) -> std::io::Result<Self> {
        let (queue, jobs) = mpsc::unbounded_channel();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name(WRITER_THREAD.to_owned())
            .spawn(move || runtime.block_on(write_batches(pool, jobs)))?;
        Ok(Self(queue))
    }

    /// Runs `turn` in a write transaction and answers its result once that transaction
    /// committed; `committed` is called with it first (in the writer task, so for the
    /// turns of a batch in the order they were written). An `Err` from `turn` undoes only
    /// its own writes.
    ///
    /// # Errors
    /// The error of `turn`; a database error beginning or committing the transaction
    /// (then nothing of the turn is stored); also when the writer task is gone.
    pub async fn write<T, E, F, C>(&self, turn: F, committed: C) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut Connection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
        C: FnOnce(&T) + Send + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        self.write_begun(
            None,
            move |conn, savepoint| {
                Box::pin(async move {
                    savepoint.begin(conn).await?;
                    turn(conn).await
                })
            },
            committed,
        )
        .await
    }

    /// [`Self::write`] for a turn that runs its [`Savepoint`] statements itself, before or
    /// with its first request, and whose first read is `first_read` (if any) when the turn
    /// before it runs that.
    ///
    /// # Errors
    /// As [`Self::write`]; also when the turn took its savepoint statements without
    /// telling that they ran (then the whole batch fails).
    pub async fn write_begun<T, E, F, C>(
        &self,
        first_read: Option<FirstRead>,
        turn: F,
        committed: C,
    ) -> Result<T, E>
    where
        F: for<'c> FnOnce(&'c mut Connection, &'c mut Savepoint) -> BoxFuture<'c, Result<T, E>>
            + Send
            + 'static,
        C: FnOnce(&T) + Send + 'static,
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let run: Run = Box::new(move |conn, savepoint| {
            Box::pin(async move {
                let result = guarded(conn, savepoint, turn).await;
                let succeeded = result.is_ok();
                let deliver = Box::new(move |batch: Result<(), String>| {
                    let result = match (batch, result) {
                        (Err(e), Ok(_)) => Err(E::from(failed(&e))),
                        (Ok(()), Ok(value)) => {
                            committed(&value);
                            Ok(value)
                        }
                        (_, Err(e)) => Err(e),
                    };
                    // The caller may have gone away; the turn is stored regardless.
                    let _ = answer.send(result);
                }) as Deliver;
                (succeeded, deliver)
            })
        });
        self.0
            .send(Job { first_read, run })
            .map_err(|_| E::from(failed("the writer task has stopped")))?;
        answered
            .await
            .map_err(|_| E::from(failed("the batch could not begin")))?
    }
}

/// A database error saying why a turn was not committed.
fn failed(why: &str) -> sqlx::Error {
    sqlx::Error::Protocol(format!("turn not committed: {why}"))
}

/// Runs `turn` on `conn`, turning a panic (a bug: logged) into a database error, so the
/// writer task and the rest of the batch go on; the caller rolls the turn's savepoint back
/// when it fails.
async fn guarded<T, E, F>(conn: &mut Connection, savepoint: &mut Savepoint, turn: F) -> Result<T, E>
where
    F: for<'c> FnOnce(&'c mut Connection, &'c mut Savepoint) -> BoxFuture<'c, Result<T, E>>,
    E: From<sqlx::Error>,
{
    match AssertUnwindSafe(turn(conn, savepoint)).catch_unwind().await {
        Ok(result) => result,
        Err(_) => {
            tracing::error!("a chat turn panicked; its writes are rolled back");
            Err(E::from(failed("the turn panicked")))
        }
    }
}

/// The statements that end the savepoint of the turn just run (`ended`: whether it
/// succeeded; `None`: no turn ran yet) — released, or rolled back first when the turn
/// failed — and, when `next` is true, begin the next turn's: one request to the database.
/// Without a next turn a successful turn's savepoint is left to the commit, which releases
/// it (`None`: nothing to run).
fn savepoint_sql(ended: Option<bool>, next: bool) -> Option<&'static str> {
    match (ended, next) {
        (None, true) => Some("SAVEPOINT parlo_turn"),
        (Some(true), true) => Some("RELEASE SAVEPOINT parlo_turn; SAVEPOINT parlo_turn"),
        (Some(false), true) => {
            Some("ROLLBACK TO SAVEPOINT parlo_turn; RELEASE SAVEPOINT parlo_turn; SAVEPOINT parlo_turn")
        }
        (Some(false), false) => Some("ROLLBACK TO SAVEPOINT parlo_turn"),
        (None | Some(true), false) => None,
    }
}

/// The writer task: one transaction and one commit per batch of queued turns, on a
/// connection it keeps from one batch to the next (a SQLite connection then keeps its page
/// cache, which a commit through another connection would invalidate: measured on 2 cores
/// with 16 visitors, ~30 % more turns per second and ~15 % less CPU per turn than taking
/// any free connection of the pool for each batch). A connection that failed to begin or
/// commit a batch is given up and another one taken. The task ends, closing its
/// connection, when every clone of the [`Writer`] is dropped or the pool is closed (which
/// waits for that connection); turns still queued then fail.
async fn write_batches(pool: Pool, mut jobs: mpsc::UnboundedReceiver<Job>) {
    let mut held: Option<PoolConnection<sqlx::Any>> = None;
    let mut closing = pool.close_event();
    loop {
        let first = tokio::select! {
            job = jobs.recv() => match job {
                Some(job) => job,
                None => break,
            },
            () = &mut closing => break,
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH
            && let Ok(job) = jobs.try_recv()
        {
            batch.push(job);
        }
        let conn = match held.as_mut() {
            Some(conn) => conn,
            None => match pool.acquire().await {
                Ok(conn) => held.insert(conn),
                Err(e) => {
                    // Dropping the batch tells each caller that it could not begin.
                    tracing::error!(error = %e, turns = batch.len(), "connecting for a batch of turns");
                    continue;
                }
            },
        };
        if write_batch(conn, batch).await.is_err() {
            held = None;
        }
    }
    if let Some(conn) = held
        && let Err(e) = conn.close().await
    {
        tracing::warn!(error = %e, "closing the turn writer's connection");
    }
}

/// Writes `batch` in one transaction on `conn` and answers each turn.
///
/// # Errors
/// Beginning or committing the transaction failed (every turn was told so).
async fn write_batch(conn: &mut Connection, batch: Vec<Job>) -> Result<(), ()> {
    let mut tx = match begin_write_on(conn).await {
        Ok(tx) => tx,
        Err(e) => {
            // Dropping the batch tells each caller that it could not begin.
            tracing::error!(error = %e, turns = batch.len(), "beginning a batch of turns");
            return Err(());
        }
    };
    let mut answers = Vec::with_capacity(batch.len());
    let mut ended = None;
    let mut broken = None;
    let (mut first_reads, runs): (Vec<_>, Vec<_>) =
        batch.into_iter().map(|job| (job.first_read, job.run)).unzip();
    // The rows of the next turn's first read, read by the turn just run.
    let mut handed = None;
    for (i, run) in runs.into_iter().enumerate() {
        let next = first_reads.get_mut(i + 1).and_then(Option::take);
        let (sql, state, opened) = match handed.take() {
            // The turn before ended its savepoint and began this one's.
            Some(rows) => ("", Begun::Yes, Some(rows)),
            None => (
                savepoint_sql(ended, true).expect("a next turn has statements to begin it"),
                Begun::No,
                None,
            ),
        };
        let mut savepoint = Savepoint {
            sql,
            state,
            opened,
            next,
            handing: Handing::No,
        };
        let (succeeded, answer) = run(&mut tx, &mut savepoint).await;
        answers.push(answer);
        match (savepoint.handing, savepoint.state) {
            (Handing::Ran(rows), _) if succeeded => {
                handed = Some(rows);
                ended = Some(true);
            }
            (Handing::Ran(_) | Handing::Unknown, _) => {
                broken = Some(failed(
                    "a turn ended its savepoint, then failed or kept the next turn's first read",
                ));
                break;
            }
            (Handing::No, Begun::Yes) => ended = Some(succeeded),
            // The turn wrote nothing: the savepoints are as the turn before left them.
            (Handing::No, Begun::No) => {}
            (Handing::No, Begun::Unknown) => {
                broken = Some(failed("a turn's savepoint statements may not have run"));
                break;
            }
        }
    }
    if broken.is_none()
        && let Some(sql) = savepoint_sql(ended, false)
    {
        broken = sqlx::raw_sql(sql).execute(&mut *tx).await.err();
    }
    let committed = match broken {
        // Dropping the transaction rolls it back; the turns not run yet are dropped,
        // which tells their callers that the batch could not begin.
        Some(e) => Err(e.to_string()),
        None => tx.commit().await.map_err(|e| e.to_string()),
    };
    match &committed {
        Ok(()) => metrics::counter!(COMMITS_METRIC).increment(1),
        Err(e) => tracing::error!(error = %e, turns = answers.len(), "committing a batch of turns"),
    }
    for answer in answers {
        answer(committed.clone());
    }
    committed.map_err(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_turn_is_rolled_back_and_the_writer_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let pool = super::super::open(dir.path(), None).await.unwrap();
        let writer = Writer::new(pool.clone()).unwrap();
        let panicked: Result<(), sqlx::Error> = writer
            .write(
                |conn| {
                    Box::pin(async move {
                        sqlx::query("CREATE TABLE written_before_the_panic (x INTEGER)")
                            .execute(&mut *conn)
                            .await?;
                        panic!("a bug in a turn");
                    })
                },
                |_| {},
            )
            .await;
        assert!(panicked.is_err());
        let tables: i64 = writer
            .write(
                |conn| {
                    Box::pin(async move {
                        sqlx::query_scalar(
                            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'written_before_the_panic'",
                        )
                        .fetch_one(&mut *conn)
                        .await
                    })
                },
                |_| {},
            )
            .await
            .expect("the writer still writes after a turn panicked");
        assert_eq!(tables, 0, "the panicking turn's writes were rolled back");
    }

    /// Runs on `writer` a turn whose first request is its savepoint's statements followed
    /// by `sql`; it tells that they ran when `tell`, and fails after them when `fail`.
    async fn prefixed(writer: &Writer, sql: &'static str, tell: bool, fail: bool) -> sqlx::Result<()> {
        writer
            .write_begun(
                None,
                move |conn, savepoint| {
                    Box::pin(async move {
                        let request = format!("{}; {sql}", savepoint.prefix());
                        sqlx::raw_sql(sqlx::AssertSqlSafe(request))
                            .execute(&mut *conn)
                            .await?;
                        if tell {
                            savepoint.ran();
                        }
                        if fail {
                            return Err(failed("the turn failed"));
                        }
                        Ok(())
                    })
                },
                |_| {},
            )
            .await
    }

    /// The names of the tables of `pool` whose names start with `turn_`, sorted.
    async fn tables(pool: &Pool) -> Vec<String> {
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE name LIKE 'turn_%' ORDER BY name")
            .fetch_all(pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn savepoint_statements_in_a_turns_first_request_undo_only_a_failed_turn() {
        let dir = tempfile::tempdir().unwrap();
        let pool = super::super::open(dir.path(), None).await.unwrap();
        let writer = Writer::new(pool.clone()).unwrap();
        let (kept, failed_turn, kept_too) = tokio::join!(
            prefixed(&writer, "CREATE TABLE turn_a (x INTEGER)", true, false),
            prefixed(&writer, "CREATE TABLE turn_b (x INTEGER)", true, true),
            prefixed(&writer, "CREATE TABLE turn_c (x INTEGER)", true, false),
        );
        assert!(kept.is_ok() && failed_turn.is_err() && kept_too.is_ok());
        assert_eq!(tables(&pool).await, ["turn_a", "turn_c"]);
    }

    #[tokio::test]
    async fn a_turn_that_does_not_tell_its_savepoint_ran_fails_with_its_batch() {
        let dir = tempfile::tempdir().unwrap();
        let pool = super::super::open(dir.path(), None).await.unwrap();
        let writer = Writer::new(pool.clone()).unwrap();
        let untold = prefixed(&writer, "CREATE TABLE turn_untold (x INTEGER)", false, false).await;
        assert!(
            untold.is_err(),
            "the writer cannot know the savepoints of that turn"
        );
        prefixed(&writer, "CREATE TABLE turn_after (x INTEGER)", true, false)
            .await
            .expect("the writer goes on");
        assert_eq!(tables(&pool).await, ["turn_after"]);
    }

    /// A turn for the tests of first reads: it reads `SELECT COUNT(*) FROM turn_rows`
    /// first (itself, or the turn before it did), then inserts a row in a last request
    /// that runs the next turn's first read when offered, and fails after that when `fail`.
    /// Answers the count it read and whether the turn before read it.
    async fn counting(writer: Writer, fail: bool) -> sqlx::Result<(i64, bool)> {
        let read = FirstRead {
            sql: "SELECT COUNT(*) FROM turn_rows",
            bind: Box::new(|query| query),
        };
        writer
            .write_begun(
                Some(read),
                move |conn, savepoint| {
                    Box::pin(async move {
                        let (rows, handed) = match savepoint.opened() {
                            Some(rows) => (rows, true),
                            None => {
                                let sql = format!("{}; SELECT COUNT(*) FROM turn_rows", savepoint.prefix());
                                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                                    .fetch_all(&mut *conn)
                                    .await?;
                                savepoint.ran();
                                (rows, false)
                            }
                        };
                        let count: i64 = sqlx::Row::try_get(&rows[0], 0)?;
                        let mut sql = String::from("INSERT INTO turn_rows VALUES (1)");
                        match savepoint.take_next(&mut sql, 0) {
                            Some(bind) => {
                                let query = bind(sqlx::query(sqlx::AssertSqlSafe(sql)));
                                savepoint.hand(query.fetch_all(&mut *conn).await?);
                            }
                            None => {
                                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                                    .execute(&mut *conn)
                                    .await?;
                            }
                        }
                        if fail {
                            return Err(failed("the turn failed"));
                        }
                        Ok((count, handed))
                    })
                },
                |_| {},
            )
            .await
    }

    /// Runs turns `b` and `c` of [`counting`] (`c` failing or not) in one batch, queued
    /// while a turn that inserts a row holds the writer; answers their results and the
    /// rows of `turn_rows` then.
    async fn two_counting_turns_in_one_batch(
        b_fails: bool,
    ) -> (sqlx::Result<(i64, bool)>, sqlx::Result<(i64, bool)>, i64) {
        let dir = tempfile::tempdir().unwrap();
        let pool = super::super::open(dir.path(), None).await.unwrap();
        sqlx::raw_sql("CREATE TABLE turn_rows (x INTEGER)")
            .execute(&pool)
            .await
            .unwrap();
        let writer = Writer::new(pool.clone()).unwrap();
        let (started, has_started) = oneshot::channel();
        let (release, released) = oneshot::channel::<()>();
        let holding = writer.clone();
        let a = tokio::spawn(async move {
            holding
                .write(
                    move |conn| {
                        Box::pin(async move {
                            let _ = started.send(());
                            let _ = released.await;
                            sqlx::query("INSERT INTO turn_rows VALUES (1)")
                                .execute(&mut *conn)
                                .await?;
                            Ok::<_, sqlx::Error>(())
                        })
                    },
                    |_| {},
                )
                .await
        });
        has_started.await.unwrap();
        let b = tokio::spawn(counting(writer.clone(), b_fails));
        tokio::task::yield_now().await;
        let c = tokio::spawn(counting(writer.clone(), false));
        tokio::task::yield_now().await;
        release.send(()).unwrap();
        a.await.unwrap().expect("the holding turn commits");
        let (b, c) = (b.await.unwrap(), c.await.unwrap());
        let rows = sqlx::query_scalar("SELECT COUNT(*) FROM turn_rows")
            .fetch_one(&pool)
            .await
            .unwrap();
        (b, c, rows)
    }

    #[tokio::test]
    async fn a_turn_runs_the_next_turns_first_read_with_its_last_request() {
        let (b, c, rows) = two_counting_turns_in_one_batch(false).await;
        assert_eq!(
            b.unwrap(),
            (1, false),
            "the first turn of the batch reads for itself"
        );
        assert_eq!(
            c.unwrap(),
            (2, true),
            "the next turn's read ran after the turn before wrote"
        );
        assert_eq!(rows, 3);
    }

    #[tokio::test]
    async fn a_turn_that_fails_after_running_the_next_turns_first_read_fails_its_batch() {
        let (b, c, rows) = two_counting_turns_in_one_batch(true).await;
        assert!(b.is_err() && c.is_err(), "{b:?} {c:?}");
        assert_eq!(rows, 1, "only the turn of the batch before is stored");
    }
}
