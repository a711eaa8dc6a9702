//! Giving freed heap back to the system. glibc keeps what a burst of work freed (the start-up's checks,
//! a job's pass over the journal or the bilans) in its arenas, where it still counts as the process's
//! memory until it is reused: measured on the bench database, 17 MB of the idle server's 72 MB were
//! such pages two seconds after start-up (`malloc_trim` called from gdb: 72 → 55 MB resident).

/// Returns the free pages of every malloc arena to the system. Takes a few milliseconds on a large
/// heap: call it off the async workers, after a pass of work rather than in a request.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only walks glibc's own arenas, taking their locks itself; it frees nothing
    // that is in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Gives the start-up's freed heap back once it is over: the workers have built their apps and the
/// jobs' first passes (which run at once) are done within this delay on the bench database.
pub fn after_start_up() {
    actix_web::rt::spawn(async {
        actix_web::rt::time::sleep(std::time::Duration::from_secs(1)).await;
        let _ = actix_web::web::block(give_back).await;
    });
}
