/**
 * Walker2d MJCF: a planar biped, 9 degrees of freedom (root x/z slides + pitch hinge, and
 * thigh/leg/foot hinges on each leg), 6 torque motors of gear 100.
 *
 * Physical numbers are those of Gymnasium's Walker2d-v4 model (0.002 s RK4 timestep, armature
 * 0.01, damping 0.1, density 1000, friction 0.9, capsule legs), written in local body
 * coordinates, keeping Gymnasium's digits (0.19999999999999996, 0.22500000000000009, ...: its
 * file's conversion from global coordinates) so the compiled model is bit-for-bit Gymnasium's
 * (checked by bench/gymnasium.ts). As in v4 (and v2/v3), the left foot has friction 1.9 and
 * the right foot 0.9: an asymmetry that Walker2d-v5 removed; we keep it to match the benchmark
 * the paper used.
 *
 * qpos: rootx, rootz (height, starting at 1.25), rooty (pitch), thigh, leg, foot,
 *       thigh_left, leg_left, foot_left.
 */
export const WALKER2D_XML = /* xml */ `
<mujoco model="walker2d">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option integrator="RK4" timestep="0.002"/>
  <default>
    <joint limited="true" armature="0.01" damping="0.1"/>
    <geom contype="1" conaffinity="0" condim="3" density="1000" friction="0.7 0.1 0.1"/>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
  </default>

  <!-- Drawing only (a checkered floor, a light, a camera that follows the body): no physics. -->
  <asset>
    <texture name="floor" type="2d" builtin="checker" rgb1="0.16 0.19 0.23" rgb2="0.32 0.36 0.41" width="64" height="64"/>
    <material name="floor" texture="floor" texrepeat="40 40" reflectance="0.1"/>
  </asset>

  <worldbody>
    <light name="sun" type="directional" pos="0 0 4" dir="-0.3 0.3 -1" diffuse="0.8 0.8 0.8" specular="0.2 0.2 0.2"/>
    <geom name="floor" type="plane" material="floor" size="40 40 40" conaffinity="1" condim="3"/>

    <body name="torso" pos="0 0 1.25">

      <camera name="track" mode="trackcom" pos="0 -3 -0.25" xyaxes="1 0 0 0 0 1"/>
      <joint name="rootx" type="slide" axis="1 0 0" pos="0 0 -1.25" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rootz" type="slide" axis="0 0 1" pos="0 0 -1.25" ref="1.25" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rooty" type="hinge" axis="0 1 0" limited="false" armature="0" damping="0" stiffness="0"/>
      <geom name="torso_geom" type="capsule" size="0.05 0.19999999999999996" friction="0.9"/>

      <!-- Right leg -->
      <body name="thigh" pos="0 0 -0.19999999999999996">
        <joint name="thigh_joint" type="hinge" axis="0 -1 0" range="-150 0"/>
        <geom name="thigh_geom" type="capsule" pos="0 0 -0.22500000000000009" size="0.05 0.22500000000000003" friction="0.9"/>
        <body name="leg" pos="0 0 -0.70000000000000007">
          <joint name="leg_joint" type="hinge" axis="0 -1 0" pos="0 0 0.25" range="-150 0"/>
          <geom name="leg_geom" type="capsule" size="0.04 0.25" friction="0.9"/>
          <body name="foot" pos="0.2 0 -0.35">
            <joint name="foot_joint" type="hinge" axis="0 -1 0" pos="-0.2 0 0.1" range="-45 45"/>
            <geom name="foot_geom" type="capsule" pos="-0.1 0 0.1" quat="0.70710678118654757 0 -0.70710678118654746 0" size="0.06 0.1" friction="0.9"/>
          </body>
        </body>
      </body>

      <!-- Left leg: same geometry, left foot friction 1.9 -->
      <body name="thigh_left" pos="0 0 -0.19999999999999996">
        <joint name="thigh_left_joint" type="hinge" axis="0 -1 0" range="-150 0"/>
        <geom name="thigh_left_geom" type="capsule" pos="0 0 -0.22500000000000009" size="0.05 0.22500000000000003" friction="0.9"/>
        <body name="leg_left" pos="0 0 -0.70000000000000007">
          <joint name="leg_left_joint" type="hinge" axis="0 -1 0" pos="0 0 0.25" range="-150 0"/>
          <geom name="leg_left_geom" type="capsule" size="0.04 0.25" friction="0.9"/>
          <body name="foot_left" pos="0.2 0 -0.35">
            <joint name="foot_left_joint" type="hinge" axis="0 -1 0" pos="-0.2 0 0.1" range="-45 45"/>
            <geom name="foot_left_geom" type="capsule" pos="-0.1 0 0.1" quat="0.70710678118654757 0 -0.70710678118654746 0" size="0.06 0.1" friction="1.9"/>
          </body>
        </body>
      </body>
    </body>
  </worldbody>

  <actuator>
    <motor name="thigh" joint="thigh_joint" gear="100"/>
    <motor name="leg" joint="leg_joint" gear="100"/>
    <motor name="foot" joint="foot_joint" gear="100"/>
    <motor name="thigh_left" joint="thigh_left_joint" gear="100"/>
    <motor name="leg_left" joint="leg_left_joint" gear="100"/>
    <motor name="foot_left" joint="foot_left_joint" gear="100"/>
  </actuator>
</mujoco>
`;
