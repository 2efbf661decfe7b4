//! How much of this year's text repeats last year's: the repetition score
//! reviewers are assessed on ("与上年度重复率大于50%" loses points).
//!
//! The measure is **character 8-gram coverage**. Both texts are reduced to
//! their letters (汉字 and Latin letters; punctuation, spaces and digits are
//! dropped, so changed numbers and re-punctuation do not hide a copy). A
//! character of this year's text counts as repeated when it lies inside any
//! run of 8 consecutive characters that also occurs in last year's text.
//! The score is the share of repeated characters.
//!
//! - identical text scores 100 %, unrelated text 0 % (8 characters in a row
//!   rarely match by chance in Chinese prose);
//! - a text built from half of last year's sentences scores about 50 %;
//! - moving sentences around does not lower the score, as it should not.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

/// The shingle length: long enough that common phrases (政府信息公开 is 6)
/// do not count as copying on their own, short enough to catch a copied
/// clause.
pub const N: usize = 8;

/// The share above which R11 warns, in percent (a county rule's figure).
pub const DEFAULT_THRESHOLD: f64 = 50.0;

fn letters(s: &str) -> Vec<char> {
    crate::cell::fold_width(s)
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect()
}

fn hash(w: &[char]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    w.hash(&mut h);
    h.finish()
}

/// The share of `this` (0–100) that repeats `last`; `None` when `this` has
/// no letters to compare.
pub fn repetition(this: &str, last: &str) -> Option<f64> {
    let a = letters(this);
    if a.is_empty() {
        return None;
    }
    let b = letters(last);
    if a.len() < N || b.len() < N {
        // Too short for shingles: a short text repeats when it stands whole in last year's.
        let hit = a.len() <= b.len() && b.windows(a.len()).any(|w| w == a.as_slice());
        return Some(if hit { 100.0 } else { 0.0 });
    }
    let seen: HashSet<u64> = b.windows(N).map(hash).collect();
    let mut covered = vec![false; a.len()];
    for (i, w) in a.windows(N).enumerate() {
        if seen.contains(&hash(w)) {
            covered[i..i + N].iter_mut().for_each(|c| *c = true);
        }
    }
    let n = covered.iter().filter(|c| **c).count();
    Some(n as f64 * 100.0 / a.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAST: &str = "2024年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作，不断加大政务公开力度。全年主动公开政府信息1200条，及时更新机构职能、领导信息和规划计划。依申请公开办理规范，全年受理申请12件，均按时答复。政策解读工作有序开展，发布解读材料36篇，图解21篇。平台建设持续加强，政府网站运行平稳，政务新媒体发布信息580条。监督保障方面，将政务公开纳入年度绩效考核，开展业务培训3次。";

    #[test]
    fn identical_is_100_and_unrelated_is_0() {
        assert_eq!(repetition(LAST, LAST), Some(100.0));
        let other = "街道办事处今年重点推进老旧小区改造，完成外墙保温和管网更新，居民满意度明显提高。下一步将继续做好社区养老服务，新建日间照料中心两处。";
        assert!(repetition(other, LAST).unwrap() < 3.0);
        assert_eq!(repetition("", LAST), None);
        assert_eq!(repetition("。，12", LAST), None);
    }

    #[test]
    fn changed_numbers_and_punctuation_do_not_hide_a_copy() {
        let copy = LAST
            .replace("2024", "2025")
            .replace("1200", "1350")
            .replace('，', ",");
        assert_eq!(repetition(&copy, LAST), Some(100.0));
    }

    #[test]
    fn half_of_last_years_sentences_scores_about_half() {
        let sentences: Vec<&str> = LAST.split_inclusive('。').collect();
        let new_text = [
            "本年度围绕优化营商环境主线，重点公开涉企政策和惠企举措。",
            "新增政策问答库栏目，收录常见问题一百余条并逐条答复。",
            "面向社会公众开展政府开放日活动，邀请群众代表走进机关。",
            "针对群众关切的教育医疗事项，组织专家进行访谈和解读。",
        ];
        let mut text = String::new();
        for (k, s) in sentences.iter().enumerate() {
            text.push_str(if k % 2 == 0 {
                s
            } else {
                new_text[k / 2 % new_text.len()]
            });
        }
        let kept: usize = sentences.iter().step_by(2).map(|s| letters(s).len()).sum();
        let truth = kept as f64 * 100.0 / letters(&text).len() as f64;
        let got = repetition(&text, LAST).unwrap();
        assert!((got - truth).abs() < 8.0, "got {got:.1}, truth {truth:.1}");
    }

    #[test]
    fn short_texts_compare_whole() {
        assert_eq!(repetition("无", "无"), Some(100.0));
        assert_eq!(repetition("暂无问题", "存在问题"), Some(0.0));
    }
}
