/**
 * Hopper MJCF: a planar one-legged hopper, 6 degrees of freedom (root x/z slides + pitch hinge,
 * thigh/leg/foot hinges), 3 torque motors of gear 200.
 *
 * Physical numbers are those of Gymnasium's Hopper-v4 model (0.002 s RK4 timestep, armature 1
 * and damping 1 on the actuated joints, capsule radii 0.05/0.05/0.04/0.06, foot friction 2.0),
 * written in local body coordinates. Lengths keep Gymnasium's digits (0.19999999999999996,
 * 0.22500000000000009, ...: its file's conversion from global coordinates), so the compiled model
 * is bit-for-bit Gymnasium's (checked by bench/gymnasium.ts). Drawing elements (floor texture, light,
 * tracking camera) are our own and do not touch the dynamics.
 *
 * qpos: rootx, rootz (height, starting at 1.25), rooty (pitch), thigh, leg, foot.
 */
export const HOPPER_XML = /* xml */ `
<mujoco model="hopper">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option integrator="RK4" timestep="0.002"/>
  <default>
    <joint limited="true" armature="1" damping="1"/>
    <geom contype="1" conaffinity="1" condim="1" margin="0.001" solref="0.02 1" solimp="0.8 0.8 0.01"/>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
  </default>

  <!-- Drawing only (a checkered floor, a light, a camera that follows the body): no physics. -->
  <asset>
    <texture name="floor" type="2d" builtin="checker" rgb1="0.16 0.19 0.23" rgb2="0.32 0.36 0.41" width="64" height="64"/>
    <material name="floor" texture="floor" texrepeat="40 40" reflectance="0.1"/>
  </asset>

  <worldbody>
    <light name="sun" type="directional" pos="0 0 4" dir="-0.3 0.3 -1" diffuse="0.8 0.8 0.8" specular="0.2 0.2 0.2"/>
    <geom name="floor" type="plane" material="floor" size="20 20 0.125" conaffinity="1" condim="3"/>

    <body name="torso" pos="0 0 1.25">

      <camera name="track" mode="trackcom" pos="0 -3 -0.25" xyaxes="1 0 0 0 0 1"/>
      <joint name="rootx" type="slide" axis="1 0 0" pos="0 0 -1.25" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rootz" type="slide" axis="0 0 1" pos="0 0 -1.25" ref="1.25" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rooty" type="hinge" axis="0 1 0" limited="false" armature="0" damping="0" stiffness="0"/>
      <geom name="torso_geom" type="capsule" size="0.05 0.19999999999999996" friction="0.9"/>
      <body name="thigh" pos="0 0 -0.19999999999999996">
        <joint name="thigh_joint" type="hinge" axis="0 -1 0" range="-150 0"/>
        <geom name="thigh_geom" type="capsule" pos="0 0 -0.22500000000000009" size="0.05 0.22500000000000003" friction="0.9"/>
        <body name="leg" pos="0 0 -0.70000000000000007">
          <joint name="leg_joint" type="hinge" axis="0 -1 0" pos="0 0 0.25" range="-150 0"/>
          <geom name="leg_geom" type="capsule" size="0.04 0.25" friction="0.9"/>
          <body name="foot" pos="0.13 0 -0.35">
            <joint name="foot_joint" type="hinge" axis="0 -1 0" pos="-0.13 0 0.1" range="-45 45"/>
            <!-- Horizontal capsule: the quaternion turns the capsule's z axis onto -x. -->
            <geom name="foot_geom" type="capsule" pos="-0.065 0 0.1" quat="0.70710678118654757 0 -0.70710678118654746 0" size="0.06 0.195" friction="2.0"/>
          </body>
        </body>
      </body>
    </body>
  </worldbody>

  <actuator>
    <motor name="thigh" joint="thigh_joint" gear="200"/>
    <motor name="leg" joint="leg_joint" gear="200"/>
    <motor name="foot" joint="foot_joint" gear="200"/>
  </actuator>
</mujoco>
`;
