//! Low-rank skill embeddings learned from the taxonomy itself: latent semantic analysis of the
//! occupation–skill links (no downloaded model, deterministic; about 2.6 s for 300 dimensions
//! of ESCO in release on one core).
//!
//! Each occupation is a TF-IDF vector over skills (essential links weigh 1, optional ½, times
//! the skill's inverse occupation frequency), L2-normalised. The top `dim` singular directions
//! of that occupation × skill matrix `A` are found by subspace iteration on the dense Gram
//! matrix `A Aᵀ` (occupations × occupations, products by GEMM), a Rayleigh–Ritz step and a
//! Jacobi eigensolver for the small projected matrix. A skill's embedding is its row of
//! `V = Aᵀ U Σ⁻¹`; a profile (any weighted set of skills) is folded in as `q V` and an
//! occupation is `A V = U Σ`, so profiles and occupations compare by cosine in one space.
//! Skills that co-occur in occupation profiles end up close even when no ESCO relation links
//! them, which is what a recall stage or "which trade does this person look like" needs.

use ndarray::{Array1, Array2, ArrayView1, ShapeBuilder};

use crate::error::{Error, Result};
use crate::model::Rng;
use crate::taxonomy::{OccupationId, SkillId, Taxonomy};

/// Skill and occupation embeddings from the taxonomy's occupation–skill links.
///
/// ```
/// use sepadan::{SkillEmbeddings, Taxonomy};
/// let taxonomy = Taxonomy::esco_english()?;
/// let embeddings = SkillEmbeddings::learn(&taxonomy, 32)?;
/// // Half of a welder's essential skills: which trades do they look like?
/// let welder = taxonomy.resolve_occupation("welder")?;
/// let essential = taxonomy.occupation(welder).map(|o| o.essential_skills()).unwrap_or_default();
/// let profile: Vec<_> = essential.iter().step_by(2).map(|&s| (s, 1.0)).collect();
/// let ranked = embeddings.similar_occupations(&profile, 10);
/// assert!(ranked.iter().any(|&(o, _)| o == welder));
/// # Ok::<(), sepadan::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct SkillEmbeddings {
    dim: usize,
    /// Skill index → embedding (`skills × dim`); skills in no occupation profile are zero.
    skills: Array2<f32>,
    /// Inverse occupation frequency per skill index (0 for skills in no profile).
    idf: Vec<f32>,
    /// Occupation index → unit vector (`occupations × dim`); zero without skills.
    occupations: Array2<f32>,
}

/// Subspace-iteration steps: the spectrum of `A Aᵀ` decays fast enough that a dozen steps
/// settle the leading directions well past the precision a cosine ranking needs.
const ITERATIONS: usize = 12;
/// Extra directions iterated beyond `dim`, which speeds convergence of the last wanted ones.
const OVERSAMPLING: usize = 8;

impl SkillEmbeddings {
    /// Largest dimension [`SkillEmbeddings::learn`] accepts.
    pub const MAX_DIM: usize = 512;

    /// Learns `dim`-dimensional embeddings from `taxonomy`'s occupation–skill links.
    ///
    /// Errors when `dim` is 0 or over [`SkillEmbeddings::MAX_DIM`], or when the taxonomy has
    /// fewer occupations with skills than `dim` (there are not that many directions).
    pub fn learn(taxonomy: &Taxonomy, dim: usize) -> Result<SkillEmbeddings> {
        if dim == 0 {
            return Err(Error::invalid("embedding dimension must be at least 1").in_field("dim"));
        }
        Error::check_limit("embedding dimension", dim, Self::MAX_DIM)?;
        let n_skills = taxonomy.skill_table_len();
        let n_occ = taxonomy.occupations().map(|o| o.id().index() + 1).max().unwrap_or(0);
        // Occupation rows: (skill index, essential?) links.
        let mut rows: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n_occ];
        let mut df = vec![0u32; n_skills];
        for o in taxonomy.occupations() {
            let row = &mut rows[o.id().index()];
            for (skills, weight) in [(o.essential_skills(), 1.0f32), (o.optional_skills(), 0.5)] {
                for s in skills {
                    if s.index() < n_skills && row.iter().all(|&(k, _)| k != s.index()) {
                        row.push((s.index(), weight));
                        df[s.index()] += 1;
                    }
                }
            }
        }
        let linked = rows.iter().filter(|r| !r.is_empty()).count();
        if linked < dim + 1 {
            return Err(Error::invalid(format!(
                "the taxonomy has {linked} occupations with skills, too few for {dim} dimensions"
            ))
            .in_field("dim"));
        }
        let idf: Vec<f32> =
            df.iter().map(|&d| if d == 0 { 0.0 } else { (linked as f32 / d as f32).ln() + 1.0 }).collect();
        for row in &mut rows {
            for e in row.iter_mut() {
                e.1 *= idf[e.0];
            }
            let norm = row.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|e| e.1 /= norm);
            }
        }
        // Gram matrix A Aᵀ, from the skill columns: Σ over skills of (occupation frequency)².
        let mut columns: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n_skills];
        for (o, row) in rows.iter().enumerate() {
            for &(s, w) in row {
                columns[s].push((o, w));
            }
        }
        let mut gram = Array2::<f32>::zeros((n_occ, n_occ));
        for col in &columns {
            for &(a, wa) in col {
                let mut line = gram.row_mut(a);
                for &(b, wb) in col {
                    line[b] += wa * wb;
                }
            }
        }
        let width = (dim + OVERSAMPLING).min(linked);
        let mut q = Array2::<f32>::zeros((n_occ, width).f());
        let mut rng = Rng::new(0x5eed, 0, 0);
        q.iter_mut().for_each(|x| *x = normal(&mut rng));
        orthonormalise(&mut q);
        for _ in 0..ITERATIONS {
            q = gram.dot(&q);
            orthonormalise(&mut q);
        }
        // Rayleigh–Ritz: eigenpairs of Qᵀ (A Aᵀ) Q give the singular values and U = Q W.
        let projected = q.t().dot(&gram.dot(&q));
        let (values, vectors) = jacobi_eigen(&projected);
        let mut order: Vec<usize> = (0..width).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
        let u_full = q.dot(&vectors);
        let mut u = Array2::<f32>::zeros((n_occ, dim));
        let mut sigma = vec![0.0f32; dim];
        for (k, &i) in order.iter().take(dim).enumerate() {
            u.column_mut(k).assign(&u_full.column(i));
            sigma[k] = values[i].max(0.0).sqrt();
        }
        // V = Aᵀ U Σ⁻¹ (skills × dim), and occupations as U Σ, normalised.
        let mut skills = Array2::<f32>::zeros((n_skills, dim));
        for (o, row) in rows.iter().enumerate() {
            let uo = u.row(o);
            for &(s, w) in row {
                let mut vs = skills.row_mut(s);
                for k in 0..dim {
                    if sigma[k] > 1e-12 {
                        vs[k] += w * uo[k] / sigma[k];
                    }
                }
            }
        }
        let mut occupations = u;
        for mut r in occupations.rows_mut() {
            for (x, s) in r.iter_mut().zip(&sigma) {
                *x *= s;
            }
            normalise(r.as_slice_mut().unwrap_or(&mut []));
        }
        debug_assert!(skills.iter().all(|x| x.is_finite()) && occupations.iter().all(|x| x.is_finite()));
        Ok(SkillEmbeddings { dim, skills, idf, occupations })
    }

    /// The embedding dimension.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// A skill's embedding (zero for a skill in no occupation profile); `None` for an id not
    /// from this taxonomy.
    pub fn skill(&self, skill: SkillId) -> Option<ArrayView1<'_, f32>> {
        (skill.index() < self.skills.nrows()).then(|| self.skills.row(skill.index()))
    }

    /// A weighted set of skills folded into the space (`q V`, `q` TF-IDF weighted like the
    /// occupations), as a unit vector; zero when no skill is in an occupation profile.
    /// Unknown ids and non-finite or non-positive weights are ignored.
    pub fn profile(&self, skills: &[(SkillId, f32)]) -> Array1<f32> {
        let mut v = Array1::<f32>::zeros(self.dim);
        for &(s, w) in skills {
            if !(w.is_finite() && w > 0.0) || s.index() >= self.skills.nrows() {
                continue;
            }
            v.scaled_add(w * self.idf[s.index()], &self.skills.row(s.index()));
        }
        normalise(v.as_slice_mut().unwrap_or(&mut []));
        v
    }

    /// Cosine similarity of two weighted skill sets in the embedding space, in [-1, 1]
    /// (0 when either is empty).
    pub fn similarity(&self, a: &[(SkillId, f32)], b: &[(SkillId, f32)]) -> f32 {
        self.profile(a).dot(&self.profile(b)).clamp(-1.0, 1.0)
    }

    /// The `k` occupations whose profiles are closest to these skills, best first (ties by
    /// occupation index), with their cosine.
    pub fn similar_occupations(&self, skills: &[(SkillId, f32)], k: usize) -> Vec<(OccupationId, f32)> {
        let p = self.profile(skills);
        if k == 0 || p.iter().all(|&x| x == 0.0) {
            return Vec::new();
        }
        let scores = self.occupations.dot(&p);
        let mut ranked: Vec<(usize, f32)> = scores
            .iter()
            .enumerate()
            .filter(|(o, _)| self.occupations.row(*o).iter().any(|&x| x != 0.0))
            .map(|(o, &s)| (o, s))
            .collect();
        let by_score = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if k < ranked.len() {
            ranked.select_nth_unstable_by(k, by_score);
            ranked.truncate(k);
        }
        ranked.sort_unstable_by(by_score);
        ranked.into_iter().map(|(o, s)| (OccupationId::from_index(o), s.clamp(-1.0, 1.0))).collect()
    }
}

fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// A standard normal draw (Box–Muller over the generator's seeded SplitMix): the start of the
/// iteration is seeded, so the embeddings are the same on every run.
fn normal(rng: &mut Rng) -> f32 {
    let (u1, u2) = (rng.unit().max(1e-300), rng.unit());
    ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
}

/// Orthonormalises the columns: Cholesky QR twice (`G = MᵀM = LLᵀ`, `M ← M L⁻ᵀ`), so the work
/// is two small products by GEMM; falls back to modified Gram–Schmidt when `G` is not positive
/// definite (nearly dependent columns).
fn orthonormalise(m: &mut Array2<f32>) {
    for _ in 0..2 {
        let g = m.t().dot(&*m).mapv(f64::from);
        let Some(l_inv_t) = cholesky_inverse_transpose(&g) else {
            gram_schmidt(m);
            return;
        };
        *m = m.dot(&l_inv_t);
    }
}

/// `L⁻ᵀ` for the Cholesky factor `L` of a symmetric positive definite `g`, or `None`.
fn cholesky_inverse_transpose(g: &Array2<f64>) -> Option<Array2<f32>> {
    let n = g.nrows();
    let mut l = Array2::<f64>::zeros((n, n));
    for i in 0..n {
        for j in 0..=i {
            let mut sum = g[[i, j]];
            for k in 0..j {
                sum -= l[[i, k]] * l[[j, k]];
            }
            if i == j {
                if sum <= 1e-10 * g[[i, i]].abs().max(1e-300) {
                    return None;
                }
                l[[i, i]] = sum.sqrt();
            } else {
                l[[i, j]] = sum / l[[j, j]];
            }
        }
    }
    // Inverse of the lower-triangular L by forward substitution, column by column.
    let mut inv = Array2::<f64>::zeros((n, n));
    for c in 0..n {
        for i in c..n {
            let mut sum = if i == c { 1.0 } else { 0.0 };
            for k in c..i {
                sum -= l[[i, k]] * inv[[k, c]];
            }
            inv[[i, c]] = sum / l[[i, i]];
        }
    }
    Some(inv.t().mapv(|x| x as f32))
}

/// Modified Gram–Schmidt on the columns. A column that vanishes (rank deficiency) is left zero.
fn gram_schmidt(m: &mut Array2<f32>) {
    let cols = m.ncols();
    for j in 0..cols {
        let before = m.column(j).dot(&m.column(j)).sqrt();
        for i in 0..j {
            let (done, mut rest) = m.view_mut().split_at(ndarray::Axis(1), j);
            let qi = done.column(i);
            let mut cj = rest.column_mut(0);
            let d = qi.dot(&cj);
            cj.scaled_add(-d, &qi);
        }
        let mut cj = m.column_mut(j);
        let norm = cj.dot(&cj).sqrt();
        // What is left of a column that depended on the earlier ones is rounding noise.
        if norm > 1e-5 * before {
            cj.mapv_inplace(|x| x / norm);
        } else {
            cj.fill(0.0);
        }
    }
}

/// Eigenvalues and eigenvectors (columns) of a small symmetric matrix, by cyclic Jacobi
/// rotations in f64.
fn jacobi_eigen(a: &Array2<f32>) -> (Vec<f32>, Array2<f32>) {
    let n = a.nrows();
    let mut m = a.mapv(f64::from);
    // Symmetrise away float noise from the products.
    for i in 0..n {
        for j in 0..i {
            let avg = 0.5 * (m[[i, j]] + m[[j, i]]);
            m[[i, j]] = avg;
            m[[j, i]] = avg;
        }
    }
    let mut v = Array2::<f64>::eye(n);
    for _sweep in 0..64 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[[i, j]].powi(2))
            .sum();
        let scale: f64 = (0..n).map(|i| m[[i, i]].powi(2)).sum::<f64>().max(1e-300);
        if off <= 1e-22 * scale {
            break;
        }
        for p in 0..n {
            for q in (p + 1)..n {
                let apq = m[[p, q]];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (m[[q, q]] - m[[p, p]]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (mkp, mkq) = (m[[k, p]], m[[k, q]]);
                    m[[k, p]] = c * mkp - s * mkq;
                    m[[k, q]] = s * mkp + c * mkq;
                }
                for k in 0..n {
                    let (mpk, mqk) = (m[[p, k]], m[[q, k]]);
                    m[[p, k]] = c * mpk - s * mqk;
                    m[[q, k]] = s * mpk + c * mqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[[k, p]], v[[k, q]]);
                    v[[k, p]] = c * vkp - s * vkq;
                    v[[k, q]] = s * vkp + c * vkq;
                }
            }
        }
    }
    let values = (0..n).map(|i| m[[i, i]] as f32).collect();
    (values, v.mapv(|x| x as f32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_recovers_a_known_spectrum() {
        let a = ndarray::arr2(&[[4.0f32, 1.0, 0.0], [1.0, 3.0, 0.0], [0.0, 0.0, 1.0]]);
        let (values, vectors) = jacobi_eigen(&a);
        let mut sorted = values.clone();
        sorted.sort_by(|a, b| b.total_cmp(a));
        let expect = [3.5 + 0.5 * 5f32.sqrt(), 3.5 - 0.5 * 5f32.sqrt(), 1.0];
        for (got, want) in sorted.iter().zip(expect) {
            assert!((got - want).abs() < 1e-5, "{sorted:?}");
        }
        // A v = λ v for every pair.
        for (k, &l) in values.iter().enumerate() {
            let v = vectors.column(k);
            let av = a.dot(&v);
            assert!(av.iter().zip(v.iter()).all(|(x, y)| (x - l * y).abs() < 1e-4));
        }
    }

    #[test]
    fn orthonormalisation_gives_orthonormal_columns() {
        let check = |m: &Array2<f32>| {
            let g = m.t().dot(m);
            for i in 0..m.ncols() {
                for j in 0..m.ncols() {
                    let want = if i == j { 1.0 } else { 0.0 };
                    assert!((g[[i, j]] - want).abs() < 1e-4, "{g:?}");
                }
            }
        };
        let mut rng = Rng::new(7, 0, 0);
        let mut m = Array2::<f32>::zeros((50, 6).f());
        m.iter_mut().for_each(|x| *x = normal(&mut rng));
        let mut by_cholesky = m.clone();
        orthonormalise(&mut by_cholesky);
        check(&by_cholesky);
        gram_schmidt(&mut m);
        check(&m);
        // Two equal columns: Cholesky fails, Gram–Schmidt zeroes the copy instead of dividing by 0.
        let mut twins = Array2::<f32>::zeros((10, 2).f());
        twins.column_mut(0).fill(1.0);
        twins.column_mut(1).fill(1.0);
        orthonormalise(&mut twins);
        assert!(twins.iter().all(|x| x.is_finite()));
        assert!(twins.column(1).iter().all(|&x| x == 0.0));
    }

    #[test]
    fn bad_dimensions_are_errors() {
        let t = Taxonomy::builder("empty").build().unwrap_or_else(|e| panic!("{e}"));
        assert!(SkillEmbeddings::learn(&t, 0).is_err());
        assert!(SkillEmbeddings::learn(&t, SkillEmbeddings::MAX_DIM + 1).is_err());
        assert!(SkillEmbeddings::learn(&t, 4).is_err(), "no occupations");
    }

    #[test]
    fn related_trades_are_close_and_profiles_find_their_occupation() {
        let t = Taxonomy::esco_english().unwrap_or_else(|e| panic!("{e}"));
        let e = SkillEmbeddings::learn(&t, 24).unwrap_or_else(|e| panic!("{e}"));
        let skill = |l: &str| t.resolve_skill(l).unwrap_or_else(|e| panic!("{e}"));
        let (weld, solder, bake) =
            (skill("use welding equipment"), skill("operate soldering equipment"), skill("bake goods"));
        let cos = |a: SkillId, b: SkillId| e.similarity(&[(a, 1.0)], &[(b, 1.0)]);
        assert!(cos(weld, solder) > cos(weld, bake), "{} vs {}", cos(weld, solder), cos(weld, bake));
        // A welder's essential skills find the welder among the first few occupations.
        let welder = t.resolve_occupation("welder").unwrap_or_else(|e| panic!("{e}"));
        let profile: Vec<(SkillId, f32)> =
            t.occupation(welder).map(|o| o.essential_skills().iter().map(|&s| (s, 1.0)).collect()).unwrap_or_default();
        let ranked = e.similar_occupations(&profile, 10);
        assert!(ranked.iter().any(|&(o, _)| o == welder), "{ranked:?}");
        assert!(ranked.windows(2).all(|w| w[0].1 >= w[1].1));
        assert!(e.similar_occupations(&[], 5).is_empty());
        assert_eq!(e.profile(&[(weld, f32::NAN)]).iter().filter(|&&x| x != 0.0).count(), 0);
    }
}
