fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).unwrap();
    let imp = nianbao::import::debug_lines(&bytes);
    for l in imp {
        println!("{l}");
    }
}
