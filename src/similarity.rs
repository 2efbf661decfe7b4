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

/// Units of a batch whose text repeats another unit's (R17): for each unit,
/// the others covering more than `threshold` percent of its text, best
/// first, at most `per_unit`, as (unit, other, share).
///
/// Every text's 8-grams are indexed once. A unit's candidates are the units
/// that share its grams, counted through the index (a gram shared by a
/// great many units, a template they all copied, contributes its first 64),
/// and only the best candidates get the exact coverage: never all pairs.
pub fn batch_pairs(texts: &[String], threshold: f64, per_unit: usize) -> Vec<(usize, usize, f64)> {
    use std::collections::HashMap;
    const CANDIDATES: usize = 12;
    const FAN: usize = 64;
    let letters: Vec<Vec<char>> = texts.iter().map(|t| letters(t)).collect();
    let grams: Vec<Vec<u64>> = letters
        .iter()
        .map(|a| {
            let mut g: Vec<u64> = a.windows(N).map(hash).collect();
            g.sort_unstable();
            g.dedup();
            g
        })
        .collect();
    let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, g) in grams.iter().enumerate() {
        for &h in g {
            index.entry(h).or_default().push(i as u32);
        }
    }
    let sets: Vec<HashSet<u64>> = grams.iter().map(|g| g.iter().copied().collect()).collect();
    let per = |i: usize| -> Vec<(usize, usize, f64)> {
        if letters[i].len() < N {
            return Vec::new();
        }
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for h in &grams[i] {
            for &j in index[h].iter().filter(|&&j| j as usize != i).take(FAN) {
                *counts.entry(j).or_default() += 1;
            }
        }
        let mut best: Vec<(u32, u32)> = counts.into_iter().collect();
        best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut found: Vec<(usize, usize, f64)> = best
            .into_iter()
            .take(CANDIDATES)
            .filter_map(|(j, _)| {
                let j = j as usize;
                let a = &letters[i];
                let mut covered = vec![false; a.len()];
                for (k, w) in a.windows(N).enumerate() {
                    if sets[j].contains(&hash(w)) {
                        covered[k..k + N].iter_mut().for_each(|c| *c = true);
                    }
                }
                let share = covered.iter().filter(|c| **c).count() as f64 * 100.0 / a.len() as f64;
                (share > threshold).then_some((i, j, share))
            })
            .collect();
        found.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.1.cmp(&b.1)));
        found.truncate(per_unit);
        found
    };
    let ids: Vec<usize> = (0..texts.len()).collect();
    crate::parallel::par_map(&ids, |&i| per(i))
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAST: &str = "2024年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作，不断加大政务公开力度。全年主动公开政府信息1200条，及时更新机构职能、领导信息和规划计划。依申请公开办理规范，全年受理申请12件，均按时答复。政策解读工作有序开展，发布解读材料36篇，图解21篇。平台建设持续加强，政府网站运行平稳，政务新媒体发布信息580条。监督保障方面，将政务公开纳入年度绩效考核，开展业务培训3次。";

    #[test]
    fn batch_pairs_find_the_units_that_copy_each_other() {
        let other = "街道办事处今年重点推进老旧小区改造，完成外墙保温和管网更新，居民满意度明显提高。下一步将继续做好社区养老服务，新建日间照料中心两处。".to_string();
        let third = "本局全年办理人大代表建议十二件，政协提案八件，全部按期办结并公开答复全文，群众反映良好。".to_string();
        let texts = vec![
            LAST.to_string(),
            other.clone(),
            LAST.replace("1200", "900"),
            third,
        ];
        let pairs = batch_pairs(&texts, 50.0, 3);
        assert!(
            pairs.iter().any(|&(i, j, s)| i == 0 && j == 2 && s > 90.0),
            "{pairs:?}"
        );
        assert!(pairs.iter().any(|&(i, j, _)| i == 2 && j == 0));
        assert!(
            !pairs.iter().any(|&(i, _, _)| i == 1 || i == 3),
            "{pairs:?}"
        );
    }

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
