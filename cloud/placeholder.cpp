// Replaced by the cloud sources.
