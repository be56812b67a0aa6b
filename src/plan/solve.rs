//! The covering problem behind a training plan, solved exactly by branch and bound or
//! approximately by greedy weighted set cover.
//!
//! An instance has items (gap skills, each with a positive weight: what leaving it open costs)
//! and offers (courses and schemes, each with an objective cost, a price, hours, the items it
//! covers, the skills it teaches, the skills it needs first and an optional date window). A
//! selection is feasible when it fits the budget and the hours, no two dated offers overlap,
//! and the offers can be ordered so that every need is taught by an earlier offer (which, when
//! both are dated, ends before the dependent starts). Among feasible selections the best
//! leaves the least item weight open, then has the least objective cost.

use crate::model::{Date, Level};
use crate::taxonomy::SkillId;

/// One offer as the solver sees it.
#[derive(Clone, Debug)]
pub(crate) struct OfferSpec {
    /// The objective value (price, hours or a mix).
    pub(crate) cost: f64,
    /// Price, IDR.
    pub(crate) money: u64,
    /// Hours.
    pub(crate) hours: f64,
    /// Items covered, sorted.
    pub(crate) covers: Vec<u32>,
    /// Skills taught, with levels (to satisfy other offers' needs).
    pub(crate) teaches: Vec<(SkillId, Level)>,
    /// Skills it needs that the candidate does not hold.
    pub(crate) needs: Vec<(SkillId, Level)>,
    /// Start and end, when dated.
    pub(crate) window: Option<(Date, Date)>,
    /// Where the offer goes when the order is free: courses (0) before assessments (1).
    pub(crate) rank: u8,
}

/// A covering instance.
#[derive(Clone, Debug, Default)]
pub(crate) struct Instance {
    pub(crate) weights: Vec<f64>,
    pub(crate) offers: Vec<OfferSpec>,
    pub(crate) max_money: Option<u64>,
    pub(crate) max_hours: Option<f64>,
}

/// A solution: selected offers in a feasible order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Solution {
    pub(crate) order: Vec<usize>,
    pub(crate) covered: Vec<bool>,
    pub(crate) lost: f64,
    pub(crate) cost: f64,
}

const EPS: f64 = 1e-9;

/// An offer that cannot be placed, with a need the placeable offers do not meet.
type Blocked = (usize, (SkillId, Level));

/// `a` is strictly better than `b`: less weight left open, then lower cost.
fn better(a: (f64, f64), b: (f64, f64)) -> bool {
    if a.0 < b.0 - EPS * (1.0 + b.0.abs()) {
        return true;
    }
    if a.0 > b.0 + EPS * (1.0 + b.0.abs()) {
        return false;
    }
    a.1 < b.1 - EPS * (1.0 + b.1.abs())
}

fn overlaps(a: Option<(Date, Date)>, b: Option<(Date, Date)>) -> bool {
    match (a, b) {
        (Some((s1, e1)), Some((s2, e2))) => s1 <= e2 && s2 <= e1,
        _ => false,
    }
}

impl Instance {
    fn teaches(&self, o: usize, need: (SkillId, Level)) -> bool {
        self.offers[o].teaches.iter().any(|&(s, l)| s == need.0 && l >= need.1)
    }

    /// Whether `provider` can serve a need of `dependent` in time.
    fn in_time(&self, provider: usize, dependent: usize) -> bool {
        match (self.offers[provider].window, self.offers[dependent].window) {
            (Some((_, end)), Some((start, _))) => end < start,
            _ => true,
        }
    }

    /// An order of `selected` in which every need is met by an earlier offer, if there is one.
    pub(crate) fn order(&self, selected: &[usize]) -> Option<Vec<usize>> {
        self.arrange(selected).ok()
    }

    /// An order of `selected` in which every need is met by an earlier offer; else the offers
    /// that cannot be placed, each with a need the placeable offers do not meet. Meeting a
    /// need only gets easier as offers are placed, so placing any ready offer first never
    /// blocks another: the fixpoint finds an order whenever one exists.
    ///
    /// A need taught only by another blocked offer counts as unmet: two offers that each need
    /// what the other teaches cannot both come first, so one of them needs a provider from
    /// outside `selected`.
    fn arrange(&self, selected: &[usize]) -> Result<Vec<usize>, Vec<Blocked>> {
        let mut placed: Vec<usize> = Vec::with_capacity(selected.len());
        let mut left: Vec<usize> = selected.to_vec();
        left.sort_by_key(|&o| (self.offers[o].rank, self.offers[o].window.map(|w| w.0), o));
        let unmet = |placed: &[usize], o: usize| {
            self.offers[o]
                .needs
                .iter()
                .copied()
                .find(|&need| !placed.iter().any(|&p| self.teaches(p, need) && self.in_time(p, o)))
        };
        while !left.is_empty() {
            let Some(ready) = left.iter().position(|&o| unmet(&placed, o).is_none()) else {
                return Err(left.iter().filter_map(|&o| unmet(&placed, o).map(|need| (o, need))).collect());
            };
            placed.push(left.remove(ready));
        }
        Ok(placed)
    }

    /// Offers outside `selected` that fit beside it and could unblock the `blocked` offers
    /// ([`Instance::arrange`]); every feasible selection containing `selected` holds one of
    /// them. Where no other offer of `selected` teaches a blocked need, only its providers:
    /// one of them must join. Otherwise (the blocked offers teach each other's needs) those
    /// of any blocked need: the first blocked offer a feasible selection places has a need
    /// that only an offer from outside `selected` meets.
    fn unblockers(&self, selected: &[usize], blocked: &[Blocked]) -> Vec<usize> {
        let (money, hours) = self.totals(selected);
        let provides = |p: usize, &(d, need): &Blocked| self.teaches(p, need) && self.in_time(p, d);
        let forced = blocked.iter().find(|b| !selected.iter().any(|&p| p != b.0 && provides(p, b)));
        (0..self.offers.len())
            .filter(|&p| self.fits(selected, money, hours, p))
            .filter(|&p| match forced {
                Some(b) => provides(p, b),
                None => blocked.iter().any(|b| provides(p, b)),
            })
            .collect()
    }

    /// Whether adding `o` to `selected` keeps budget, hours and schedule.
    fn fits(&self, selected: &[usize], money: u64, hours: f64, o: usize) -> bool {
        let offer = &self.offers[o];
        if self.max_money.is_some_and(|m| money.saturating_add(offer.money) > m) {
            return false;
        }
        if self.max_hours.is_some_and(|h| hours + offer.hours > h + 1e-6) {
            return false;
        }
        !selected.iter().any(|&s| s == o || overlaps(self.offers[s].window, offer.window))
    }

    fn evaluate(&self, selected: &[usize]) -> Option<Solution> {
        let order = self.order(selected)?;
        let mut covered = vec![false; self.weights.len()];
        let mut cost = 0.0;
        for &o in &order {
            cost += self.offers[o].cost;
            for &i in &self.offers[o].covers {
                covered[i as usize] = true;
            }
        }
        let lost = self.weights.iter().zip(&covered).filter(|(_, c)| !**c).map(|(w, _)| *w).sum();
        Some(Solution { order, covered, lost, cost })
    }

    fn totals(&self, selected: &[usize]) -> (u64, f64) {
        selected
            .iter()
            .fold((0u64, 0.0f64), |(m, h), &o| (m.saturating_add(self.offers[o].money), h + self.offers[o].hours))
    }

    /// Offers (with providers for their needs, chosen greedily) that could be added to
    /// `selected`: the bundle, or `None` when some need has no provider that fits.
    fn bundle(&self, selected: &[usize], o: usize) -> Option<Vec<usize>> {
        let (money, hours) = self.totals(selected);
        if !self.fits(selected, money, hours, o) {
            return None;
        }
        let mut with: Vec<usize> = selected.to_vec();
        with.push(o);
        let mut added = vec![o];
        // Each round adds the cheapest offer that unblocks one; needs of providers join in.
        for _ in 0..self.offers.len() {
            let blocked = match self.arrange(&with) {
                Ok(_) => return Some(added),
                Err(blocked) => blocked,
            };
            let provider = self
                .unblockers(&with, &blocked)
                .into_iter()
                .min_by(|&a, &b| self.offers[a].cost.total_cmp(&self.offers[b].cost).then(a.cmp(&b)))?;
            with.push(provider);
            added.push(provider);
        }
        None
    }

    /// Greedy weighted set cover: repeatedly add the bundle with the lowest cost per unit of
    /// newly covered weight, then drop offers the rest make redundant.
    pub(crate) fn greedy(&self) -> Solution {
        let mut selected: Vec<usize> = Vec::new();
        let mut covered = vec![false; self.weights.len()];
        loop {
            let mut best: Option<(f64, f64, Vec<usize>)> = None; // (ratio, gain, bundle)
            for o in 0..self.offers.len() {
                if selected.contains(&o) {
                    continue;
                }
                let gain: f64 = self.offers[o]
                    .covers
                    .iter()
                    .filter(|&&i| !covered[i as usize])
                    .map(|&i| self.weights[i as usize])
                    .sum();
                if gain <= 0.0 {
                    continue;
                }
                let Some(bundle) = self.bundle(&selected, o) else {
                    continue;
                };
                let mut with = selected.clone();
                with.extend(&bundle);
                if self.order(&with).is_none() {
                    continue;
                }
                let gain: f64 = {
                    let mut newly = covered.clone();
                    for &b in &bundle {
                        for &i in &self.offers[b].covers {
                            newly[i as usize] = true;
                        }
                    }
                    self.weights.iter().enumerate().filter(|(i, _)| newly[*i] && !covered[*i]).map(|(_, w)| w).sum()
                };
                let cost: f64 = bundle.iter().map(|&b| self.offers[b].cost).sum();
                let ratio = cost / gain;
                let replace = match &best {
                    None => true,
                    Some((r, g, _)) => {
                        ratio < r - EPS * (1.0 + r.abs())
                            || ((ratio - r).abs() <= EPS * (1.0 + r.abs()) && gain > *g + EPS)
                    }
                };
                if replace {
                    best = Some((ratio, gain, bundle));
                }
            }
            let Some((_, _, bundle)) = best else { break };
            for &b in &bundle {
                for &i in &self.offers[b].covers {
                    covered[i as usize] = true;
                }
            }
            selected.extend(bundle);
        }
        // Drop redundant offers, costliest first.
        let mut by_cost = selected.clone();
        by_cost.sort_by(|&a, &b| self.offers[b].cost.total_cmp(&self.offers[a].cost).then(b.cmp(&a)));
        for o in by_cost {
            let without: Vec<usize> = selected.iter().copied().filter(|&s| s != o).collect();
            let still_covered =
                self.offers[o].covers.iter().all(|&i| without.iter().any(|&s| self.offers[s].covers.contains(&i)));
            if still_covered && self.order(&without).is_some() {
                selected = without;
            }
        }
        self.evaluate(&selected).unwrap_or_else(|| {
            debug_assert!(false, "greedy kept an infeasible selection");
            Solution {
                order: Vec::new(),
                covered: vec![false; self.weights.len()],
                lost: self.weights.iter().sum(),
                cost: 0.0,
            }
        })
    }

    /// A lower bound on the objective cost of any selection covering every item in `covered`:
    /// each item pays at least the cheapest price per covered item of an offer covering it,
    /// and at least one offer covering the most expensive-to-reach item is needed.
    pub(crate) fn lower_bound(&self, covered: &[bool]) -> f64 {
        let mut sum = 0.0f64;
        let mut max = 0.0f64;
        for (i, _) in covered.iter().enumerate().filter(|(_, c)| **c) {
            let mut cheapest_offer = f64::INFINITY;
            let mut cheapest_share = f64::INFINITY;
            for o in &self.offers {
                if !o.covers.contains(&(i as u32)) {
                    continue;
                }
                let share = o.covers.iter().filter(|&&j| covered[j as usize]).count().max(1) as f64;
                cheapest_offer = cheapest_offer.min(o.cost);
                cheapest_share = cheapest_share.min(o.cost / share);
            }
            if cheapest_offer.is_finite() {
                max = max.max(cheapest_offer);
                sum += cheapest_share;
            }
        }
        sum.max(max)
    }

    /// Branch and bound from an incumbent. Returns the best solution and whether the search
    /// finished within `node_limit` nodes (then the solution is optimal).
    pub(crate) fn branch_and_bound(&self, incumbent: Solution, node_limit: usize) -> (Solution, bool) {
        let mut order: Vec<usize> = (0..self.weights.len()).collect();
        let coverers: Vec<Vec<usize>> = (0..self.weights.len())
            .map(|i| {
                let mut v: Vec<usize> =
                    (0..self.offers.len()).filter(|&o| self.offers[o].covers.contains(&(i as u32))).collect();
                v.sort_by(|&a, &b| {
                    let ra = self.offers[a].cost / self.offers[a].covers.len() as f64;
                    let rb = self.offers[b].cost / self.offers[b].covers.len() as f64;
                    ra.total_cmp(&rb).then(a.cmp(&b))
                });
                v
            })
            .collect();
        // Most constrained items first; heavy items before light ones.
        order.sort_by(|&a, &b| {
            coverers[a].len().cmp(&coverers[b].len()).then(self.weights[b].total_cmp(&self.weights[a])).then(a.cmp(&b))
        });
        let mut search =
            Search { inst: self, coverers, order, best: incumbent, nodes: 0, limit: node_limit, aborted: false };
        let mut selected = Vec::new();
        let mut covered = vec![false; self.weights.len()];
        search.items(0, &mut selected, &mut covered, 0.0, 0.0);
        let finished = !search.aborted;
        (search.best, finished)
    }
}

struct Search<'a> {
    inst: &'a Instance,
    coverers: Vec<Vec<usize>>,
    order: Vec<usize>,
    best: Solution,
    nodes: usize,
    limit: usize,
    aborted: bool,
}

impl Search<'_> {
    fn tick(&mut self) -> bool {
        self.nodes += 1;
        if self.nodes > self.limit {
            self.aborted = true;
        }
        !self.aborted
    }

    /// Cost still to pay if every undecided item from `pos` on must be covered.
    fn remaining_bound(&self, pos: usize, covered: &[bool]) -> f64 {
        let mut sum = 0.0;
        for &i in &self.order[pos..] {
            if covered[i] {
                continue;
            }
            let share = self.coverers[i]
                .iter()
                .map(|&o| {
                    let open = self.inst.offers[o].covers.iter().filter(|&&j| !covered[j as usize]).count().max(1);
                    self.inst.offers[o].cost / open as f64
                })
                .fold(f64::INFINITY, f64::min);
            if share.is_finite() {
                sum += share;
            }
        }
        sum
    }

    fn items(&mut self, pos: usize, selected: &mut Vec<usize>, covered: &mut Vec<bool>, lost: f64, cost: f64) {
        if !self.tick() {
            return;
        }
        let best = (self.best.lost, self.best.cost);
        let tol = EPS * (1.0 + best.0);
        if lost > best.0 + tol {
            return; // already more weight open than the incumbent
        }
        // With as much open weight as the incumbent, every remaining item must be covered.
        if (lost - best.0).abs() <= tol && !better((lost, cost + self.remaining_bound(pos, covered)), best) {
            return;
        }
        let Some(next) = (pos..self.order.len()).find(|&p| !covered[self.order[p]]) else {
            self.needs(selected, lost, cost);
            return;
        };
        let item = self.order[next];
        let (money, hours) = self.inst.totals(selected);
        for k in 0..self.coverers[item].len() {
            let o = self.coverers[item][k];
            if !self.inst.fits(selected, money, hours, o) {
                continue;
            }
            let newly: Vec<u32> =
                self.inst.offers[o].covers.iter().copied().filter(|&j| !covered[j as usize]).collect();
            for &j in &newly {
                covered[j as usize] = true;
            }
            selected.push(o);
            self.items(next + 1, selected, covered, lost, cost + self.inst.offers[o].cost);
            selected.pop();
            for &j in &newly {
                covered[j as usize] = false;
            }
            if self.aborted {
                return;
            }
        }
        // Leave the item open.
        self.items(next + 1, selected, covered, lost + self.inst.weights[item], cost);
    }

    /// Every item is decided: add providers for unmet needs, then check the order.
    fn needs(&mut self, selected: &mut Vec<usize>, lost: f64, cost: f64) {
        if !self.tick() {
            return;
        }
        if !better((lost, cost), (self.best.lost, self.best.cost)) {
            return;
        }
        let blocked = match self.inst.arrange(selected) {
            Ok(_) => {
                if let Some(solution) = self.inst.evaluate(selected) {
                    if better((solution.lost, solution.cost), (self.best.lost, self.best.cost)) {
                        self.best = solution;
                    }
                }
                return;
            }
            Err(blocked) => blocked,
        };
        for p in self.inst.unblockers(selected, &blocked) {
            selected.push(p);
            self.needs(selected, lost, cost + self.inst.offers[p].cost);
            selected.pop();
            if self.aborted {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer(cost: f64, covers: &[u32]) -> OfferSpec {
        OfferSpec {
            cost,
            money: cost as u64,
            hours: 10.0,
            covers: covers.to_vec(),
            teaches: Vec::new(),
            needs: Vec::new(),
            window: None,
            rank: 0,
        }
    }

    #[test]
    fn branch_and_bound_beats_greedy_on_the_classic_trap() {
        // Greedy takes the big cheap-per-item set and then needs both halves anyway.
        let inst = Instance {
            weights: vec![1.0; 6],
            offers: vec![offer(4.0, &[0, 1, 2, 3]), offer(3.1, &[0, 2, 4]), offer(3.1, &[1, 3, 5])],
            max_money: None,
            max_hours: None,
        };
        let greedy = inst.greedy();
        assert_eq!(greedy.lost, 0.0);
        let (exact, finished) = inst.branch_and_bound(greedy.clone(), 100_000);
        assert!(finished);
        assert!((exact.cost - 6.2).abs() < 1e-9, "{exact:?}");
        assert!(exact.cost <= greedy.cost);
        assert!(inst.lower_bound(&exact.covered) <= exact.cost + 1e-9);
    }

    #[test]
    fn budget_leaves_the_lightest_items_open() {
        let inst = Instance {
            weights: vec![5.0, 1.0],
            offers: vec![offer(100.0, &[0]), offer(100.0, &[1])],
            max_money: Some(150),
            max_hours: None,
        };
        let (s, finished) = inst.branch_and_bound(inst.greedy(), 1000);
        assert!(finished);
        assert_eq!(s.order, vec![0]);
        assert_eq!(s.lost, 1.0);
    }

    #[test]
    fn needs_pull_in_a_provider_that_ends_before_the_start() {
        let d = |m, day| Date::from_ymd(2027, m, day);
        let skill = SkillId::from_index(7);
        let mut advanced = offer(10.0, &[0]);
        advanced.needs = vec![(skill, Level::Basic)];
        advanced.window = d(3, 1).zip(d(3, 31));
        let mut late = offer(1.0, &[]);
        late.teaches = vec![(skill, Level::Intermediate)];
        late.window = d(3, 15).zip(d(4, 15));
        let mut early = offer(5.0, &[]);
        early.teaches = vec![(skill, Level::Basic)];
        early.window = d(1, 1).zip(d(2, 1));
        let inst =
            Instance { weights: vec![1.0], offers: vec![advanced, late, early], max_money: None, max_hours: None };
        let (s, finished) = inst.branch_and_bound(inst.greedy(), 1000);
        assert!(finished);
        assert_eq!(s.order, vec![2, 0]);
        assert_eq!(s.lost, 0.0);
    }

    /// Two offers that each need what the other teaches cannot order themselves: a third
    /// offer must come first. The proptest `another_course_never_makes_the_optimal_plan_worse`
    /// found the search taking each need as met by the other and never adding the third.
    #[test]
    fn offers_that_need_each_other_pull_in_a_third() {
        let (x, y) = (SkillId::from_index(1), SkillId::from_index(2));
        // `goal` covers the item and needs x; `bridge` teaches x and needs y; `goal` also
        // teaches y, which would meet `bridge`'s need only if `goal` could come first.
        let mut goal = offer(10.0, &[0]);
        goal.needs = vec![(x, Level::Intermediate)];
        goal.teaches = vec![(y, Level::Basic)];
        let mut bridge = offer(0.0, &[]);
        bridge.needs = vec![(y, Level::Basic)];
        bridge.teaches = vec![(x, Level::Intermediate)];
        let mut starter = offer(20.0, &[]);
        starter.teaches = vec![(y, Level::Basic)];
        let inst =
            Instance { weights: vec![1.0], offers: vec![goal, bridge, starter], max_money: None, max_hours: None };
        assert!(inst.order(&[0, 1]).is_none());
        assert_eq!(inst.arrange(&[0, 1]), Err(vec![(0, (x, Level::Intermediate)), (1, (y, Level::Basic))]));
        assert_eq!(inst.unblockers(&[0, 1], &[(1, (y, Level::Basic))]), vec![2]);
        let greedy = inst.greedy();
        assert_eq!(greedy.order, vec![2, 1, 0], "{greedy:?}");
        let (s, finished) =
            inst.branch_and_bound(Solution { order: Vec::new(), covered: vec![false], lost: 1.0, cost: 0.0 }, 1000);
        assert!(finished);
        assert_eq!(s.order, vec![2, 1, 0]);
        assert_eq!(s.lost, 0.0);
    }
}
