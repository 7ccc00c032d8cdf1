// `sqlx::migrate!` embeds the migration files at compile time; without this, adding a file
// does not rebuild the crate and the binary runs the old set.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
