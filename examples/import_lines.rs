//! Show the lines a published report reads as, before the table reader:
//! the intermediate shape every reader (text, HTML, Word, PDF) produces.
//! Table rows print their cells separated by " | ".
//!
//! ```sh
//! cargo run --example import_lines -- 报告.pdf
//! ```

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("用法：cargo run --example import_lines -- 文件");
        std::process::exit(2);
    };
    match std::fs::read(&path) {
        Ok(bytes) => {
            for l in nianbao::import::debug_lines(&bytes) {
                println!("{l}");
            }
        }
        Err(e) => {
            eprintln!("{path}：{e}");
            std::process::exit(2);
        }
    }
}
