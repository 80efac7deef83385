//! Payne–Hanek reduction of huge trigonometric arguments (Go's `trigReduce`).
//!
//! From 2^29 up the three-part π/4 of Cody–Waite loses bits, so Go multiplies the
//! 53-bit mantissa by the 1,217 bits of 4/π that matter at that exponent, in 64-bit
//! integer arithmetic, and keeps the octant and the fraction (after K. C. Ng, "Argument
//! reduction for huge arguments: good to the last bit", 1992).

/// Arguments from here on are reduced by [`trig_reduce`].
pub(super) const REDUCE_THRESHOLD: f64 = (1u64 << 29) as f64;

/// The binary digits of 4/π: `4/π = Σ M_PI4[i] × 2^(-64 i)`.
const M_PI4: [u64; 20] = [
    0x0000_0000_0000_0001,
    0x45f3_06dc_9c88_2a53,
    0xf84e_afa3_ea69_bb81,
    0xb6c5_2b32_7887_2083,
    0xfca2_c757_bd77_8ac3,
    0x6e48_dc74_849b_a5c0,
    0x0c92_5dd4_13a3_2439,
    0xfc3b_d639_6253_4e7d,
    0xd104_6bea_5d76_8909,
    0xd338_e04d_68be_fc82,
    0x7323_ac73_06a6_73e9,
    0x3908_bf17_7bf2_5076,
    0x3ff1_2fff_bc0b_301f,
    0xde5e_2316_b414_da3e,
    0xda6c_fd9e_4f96_136e,
    0x9e8c_7ecd_3cbf_d45a,
    0xea4f_758f_d7cb_e2f6,
    0x7a0e_73ef_14a5_25d4,
    0xd7f6_bf62_3f1a_ba10,
    0xac06_608d_f8f6_d757,
];

/// Go's `<<` on `uint64`: zero once the count reaches 64.
fn shl(x: u64, n: u32) -> u64 {
    x.checked_shl(n).unwrap_or(0)
}

/// Go's `>>` on `uint64`: zero once the count reaches 64.
fn shr(x: u64, n: u32) -> u64 {
    x.checked_shr(n).unwrap_or(0)
}

/// The octant `j` (0..8, even) and the remainder `z` (in radians, |z| <= π/4) of a finite
/// `x >= REDUCE_THRESHOLD`.
pub(super) fn trig_reduce(x: f64) -> (u64, f64) {
    const PI4: f64 = std::f64::consts::FRAC_PI_4;
    if x < PI4 {
        return (0, x);
    }
    // x = ix × 2^exp with ix the 53-bit integer mantissa.
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1023 - 52;
    let ix = (bits & ((1 << 52) - 1)) | (1 << 52);
    // The three digits of 4/π that put the product's leading digit at 2^-61.
    let pos = (exp + 61).clamp(0, 64 * 17 - 1) as usize;
    let (digit, bitshift) = (pos / 64, (pos % 64) as u32);
    let window = |d: usize| shl(M_PI4[d], bitshift) | shr(M_PI4[d + 1], 64 - bitshift);
    let (z0, z1, z2) = (window(digit), window(digit + 1), window(digit + 2));
    // The upper two 64-bit digits (hi, lo) of ix × (z0, z1, z2).
    let z2hi = ((u128::from(z2) * u128::from(ix)) >> 64) as u64;
    let z1prod = u128::from(z1) * u128::from(ix);
    let (z1hi, z1lo) = ((z1prod >> 64) as u64, z1prod as u64);
    let z0lo = z0.wrapping_mul(ix);
    let (lo, carry) = z1lo.overflowing_add(z2hi);
    let hi = z0lo.wrapping_add(z1hi).wrapping_add(u64::from(carry));
    // The top three bits are the octant, the rest the fraction.
    let mut j = hi >> 61;
    let hi = (hi << 3) | (lo >> 61);
    let lz = hi.leading_zeros();
    let e = (1023 - i64::from(lz + 1)) as u64;
    let mantissa = shr(
        shl(hi, lz + 1) | shr(lo, 64u32.wrapping_sub(lz + 1)),
        64 - 52,
    );
    let mut z = f64::from_bits(mantissa | (e << 52));
    // Map zeros to the origin.
    if j & 1 == 1 {
        j = (j + 1) & 7;
        z -= 1.0;
    }
    (j, z * PI4)
}
